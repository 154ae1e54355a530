/** Disclosure control of counts before they leave the main process. */
import type { AttritionStep, MaskedAttritionStep, MaskedCount } from '../../shared/cohorts';

/** Counts from 1 to threshold - 1 become masked; zero is shown, as the policy default treats it as not disclosive. */
export function maskCount(value: number, threshold: number): MaskedCount {
  if (value > 0 && value < threshold) return { value: null, masked: true };
  return { value, masked: false };
}

// NOTE: a lost count is masked on its own, but a masked value can still be
// recovered from two unmasked neighbours (persons before and after a step);
// secondary suppression belongs to the export checks, not to this view.
export function maskAttrition(steps: AttritionStep[], threshold: number): MaskedAttritionStep[] {
  const firstRule = steps.findIndex((step) => step.kind === 'rule');
  const base = firstRule > 0 ? steps[firstRule - 1]!.persons : 0;

  return steps.map((step) => {
    const satisfied =
      step.satisfiedPersons === null ? null : maskCount(step.satisfiedPersons, threshold);
    const share =
      satisfied && satisfied.value !== null && base >= threshold ? satisfied.value / base : null;
    return {
      kind: step.kind,
      name: step.name,
      persons: maskCount(step.persons, threshold),
      events: maskCount(step.events, threshold),
      lostPersons: maskCount(step.lostPersons, threshold),
      lostEvents: maskCount(step.lostEvents, threshold),
      satisfiedPersons: satisfied,
      satisfiedShare: share,
    };
  });
}
