/**
 * Where reminders go (the notifyChannels setting) as checkboxes. Desktop notifications exist only
 * in the tray app, so the local web page does not offer them, and keeps them as they were on save.
 */
const CHANNELS = [
  { value: 'desktop', label: 'Desktop notifications on this computer' },
  { value: 'pushover', label: 'Pushover' },
  { value: 'ntfy', label: 'ntfy' },
] as const;

/** The draft is the setting's list as the form keeps lists: names separated by commas. */
function chosenOf(draft: string): Set<string> {
  return new Set(draft.split(',').map((part) => part.trim()).filter(Boolean));
}

export function ChannelChoices({ draft, desktop, readOnly, invalid, describedBy, onChange }: { draft: string; desktop: boolean; readOnly: boolean; invalid: boolean; describedBy: string; onChange: (draft: string) => void }) {
  const chosen = chosenOf(draft);
  const toggle = (channel: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(channel);
    else next.delete(channel);
    onChange(CHANNELS.map((each) => each.value).filter((value) => next.has(value)).join(', '));
  };
  return (
    <fieldset className="channels" aria-describedby={describedBy} aria-invalid={invalid ? true : undefined}>
      <legend>Notification channels</legend>
      {CHANNELS.filter((channel) => desktop || channel.value !== 'desktop').map((channel) => (
        <label key={channel.value}>
          <input type="checkbox" name="notifyChannels" value={channel.value} checked={chosen.has(channel.value)} disabled={readOnly} onChange={(event) => toggle(channel.value, event.target.checked)} />
          {channel.label}
        </label>
      ))}
    </fieldset>
  );
}
