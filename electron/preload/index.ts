import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNEL, type Envelope, type HorizonBridge } from '../../shared/ipc';

// The renderer gets one function, not ipcRenderer itself, so it cannot reach other channels.
const bridge: HorizonBridge = {
  invoke: (channel: string, request: unknown) =>
    ipcRenderer.invoke(IPC_CHANNEL, channel, request) as Promise<Envelope<unknown>>,
};

contextBridge.exposeInMainWorld('horizon', bridge);
