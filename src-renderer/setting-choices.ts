/** The settings with a few fixed values, as the first run and Settings offer them. */
export interface Choice {
  value: string;
  label: string;
}

/** Settings with a few fixed values: a list to pick from, in plain words, instead of a text box. */
export const CHOICES = {
  layout: [
    { value: 'date', label: 'By date (year/month/day folders)' },
    { value: 'flat', label: 'All in one folder' },
    { value: 'album', label: 'By album' },
  ],
  media: [
    { value: 'all', label: 'Photos and videos' },
    { value: 'photos', label: 'Photos only' },
    { value: 'videos', label: 'Videos only' },
  ],
  versions: [
    { value: 'both', label: 'Originals and edited versions' },
    { value: 'original', label: 'Originals only' },
    { value: 'edited', label: 'Edited versions (originals of unedited photos)' },
  ],
  logLevel: [
    { value: 'error', label: 'Errors only' },
    { value: 'warn', label: 'Warnings and errors' },
    { value: 'info', label: 'Normal' },
    { value: 'debug', label: 'Detailed (for a bug report)' },
    { value: 'trace', label: 'Everything (very large logs)' },
  ],
} satisfies Record<string, Choice[]>;

/** The choices for a setting, with its current value kept when it is one the list does not name (a layout template). */
export function choicesFor(key: string, current: string): Choice[] | null {
  const choices = (CHOICES as Record<string, Choice[] | undefined>)[key];
  if (!choices) return null;
  return choices.some((choice) => choice.value === current) || current === '' ? choices : [...choices, { value: current, label: `Custom: ${current}` }];
}

