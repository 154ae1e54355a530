/** Disclosure control of counts before they leave the main process. */
import type { AttritionStep, MaskedAttritionStep, MaskedCount } from '../../shared/cohorts';

/** Counts from 1 to threshold - 1 become masked; zero is shown, as the policy default treats it as not disclosive. */
export function maskCount(value: number, threshold: number): MaskedCount {
  if (value > 0 && value < threshold) return { value: null, masked: true };
  return { value, masked: false };
}

/**
 * Mask an attrition table. A step's persons equal the next step's persons plus
 * the next step's lost persons, so a small count masked on its own could be
 * worked out from its neighbours (79 before, 72 lost, so 7 after). Once a
 * step's persons are masked, its lost persons and every later step's counts
 * are masked too; events likewise.
 *
 * NOTE: a small lost count beside two large persons counts (354 before, 349
 * after) is still recoverable by subtraction. Masking the persons after it
 * would not help, because the cohort's size is shown elsewhere; the export
 * checks suppress such tables before anything leaves.
 */
export function maskAttrition(steps: AttritionStep[], threshold: number): MaskedAttritionStep[] {
  const firstRule = steps.findIndex((step) => step.kind === 'rule');
  const base = firstRule > 0 ? steps[firstRule - 1]!.persons : 0;
  const hidden: MaskedCount = { value: null, masked: true };
  let personsHidden = false;
  let eventsHidden = false;

  return steps.map((step) => {
    const satisfied =
      step.satisfiedPersons === null ? null : maskCount(step.satisfiedPersons, threshold);
    const share =
      satisfied && satisfied.value !== null && base >= threshold ? satisfied.value / base : null;

    const persons = maskCount(step.persons, threshold);
    const lostPersons = maskCount(step.lostPersons, threshold);
    personsHidden ||= persons.masked;
    const events = maskCount(step.events, threshold);
    const lostEvents = maskCount(step.lostEvents, threshold);
    eventsHidden ||= events.masked;
    return {
      kind: step.kind,
      name: step.name,
      persons: personsHidden ? hidden : persons,
      events: eventsHidden ? hidden : events,
      lostPersons: personsHidden ? hidden : lostPersons,
      lostEvents: eventsHidden ? hidden : lostEvents,
      satisfiedPersons: satisfied,
      satisfiedShare: share,
    };
  });
}
