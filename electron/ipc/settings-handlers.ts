/** The settings channels. The engine settings are the workstation's own, so any role may change them; each change is audited. */
import { availableParallelism } from 'node:os';
import type { Channel } from '../../shared/api';
import { readEngineSettings, writeEngineSettings } from '../settings/engine';
import type { Cache } from '../store/cache';
import type { Handlers } from './router';

type SettingsChannel = Extract<Channel, `settings.${string}`>;

export function settingsHandlers(db: Cache): Pick<Handlers, SettingsChannel> {
  const cores = availableParallelism();
  return {
    'settings.engine': () => ({ ...readEngineSettings(db), cores }),
    'settings.setEngine': (value) => ({ ...writeEngineSettings(db, value), cores }),
  };
}
