/**
 * Derived facts about a trail's event selectors, computed in one place so every rule
 * (and every user rule, through `facts.*`) agrees on them.
 */
import type { AdvancedEventSelector, EventSelector, Trail } from '../inventory/types.ts';

/** The selector AWS applies to a trail that has no custom selectors. */
export const DEFAULT_EVENT_SELECTOR: EventSelector = {
  ReadWriteType: 'All',
  IncludeManagementEvents: true,
  DataResources: [],
  ExcludeManagementEventSources: [],
};

/** The selectors in effect, or undefined when they were not collected. */
export interface Selectors {
  basic: EventSelector[];
  advanced: AdvancedEventSelector[];
}

/**
 * The selectors in effect for a trail: what was collected, or AWS's default selector when the
 * trail says it has no custom selectors and none were given. Undefined means "not collected".
 */
export function effectiveSelectors(
  trail: Trail,
  basic: EventSelector[] | undefined,
  advanced: AdvancedEventSelector[] | undefined,
): Selectors | undefined {
  if (basic === undefined && advanced === undefined) {
    return trail.HasCustomEventSelectors === false ? { basic: [DEFAULT_EVENT_SELECTOR], advanced: [] } : undefined;
  }
  return { basic: basic ?? [], advanced: advanced ?? [] };
}

/** True when one basic selector logs read and write management events from every source. */
function basicRecordsAllManagement(s: EventSelector): boolean {
  return (
    s.IncludeManagementEvents === true &&
    s.ReadWriteType === 'All' &&
    (s.ExcludeManagementEventSources === undefined || s.ExcludeManagementEventSources.length === 0)
  );
}

/**
 * True when one advanced selector logs every management event: `eventCategory Equals
 * [Management]` and no field that narrows it (readOnly, eventSource). Never decided by Name.
 */
function advancedRecordsAllManagement(s: AdvancedEventSelector): boolean {
  let management = false;
  for (const f of s.FieldSelectors ?? []) {
    if (f.Field === 'eventCategory') {
      const onlyEquals = f.Equals !== undefined && f.Equals.length === 1 && f.Equals[0] === 'Management';
      const noOther = !f.StartsWith?.length && !f.EndsWith?.length && !f.NotEquals?.length && !f.NotStartsWith?.length && !f.NotEndsWith?.length;
      if (!(onlyEquals && noOther)) return false;
      management = true;
    } else if (f.Field === 'readOnly' || f.Field === 'eventSource') {
      return false;
    }
  }
  return management;
}

/** Whether the trail records all management events, read and write, from every event source. */
export function recordsAllManagementEvents(sel: Selectors): boolean {
  return sel.basic.some(basicRecordsAllManagement) || sel.advanced.some(advancedRecordsAllManagement);
}

/** Data-resource values across all basic selectors (quota: 250 per trail). */
export function dataResourceCount(sel: Selectors): number {
  let n = 0;
  for (const s of sel.basic) for (const d of s.DataResources ?? []) n += d.Values?.length ?? 0;
  return n;
}

/** Values across all conditions of all advanced selectors (quota: 500 per trail). */
export function advancedValueCount(sel: Selectors): number {
  let n = 0;
  for (const s of sel.advanced) {
    for (const f of s.FieldSelectors ?? []) {
      n +=
        (f.Equals?.length ?? 0) +
        (f.StartsWith?.length ?? 0) +
        (f.EndsWith?.length ?? 0) +
        (f.NotEquals?.length ?? 0) +
        (f.NotStartsWith?.length ?? 0) +
        (f.NotEndsWith?.length ?? 0);
    }
  }
  return n;
}
