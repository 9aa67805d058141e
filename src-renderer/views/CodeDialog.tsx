import { useEffect, useRef, useState, type ChangeEvent, type ClipboardEvent, type FormEvent, type KeyboardEvent } from 'react';
import type { AppBridge, CommandError, SignInView } from '../../src-shared/contract.js';
import { userMessage } from '../../src-shared/errors.js';
import { useCommand } from '../hooks/use-command.js';

/**
 * The verification code: one box per digit, paste-friendly (a pasted or auto-filled code spreads
 * over the boxes), "Text me instead" with the masked trusted phones, and what to do when no code
 * arrives. The one code dialog of the first run, the status view and the Electron popup.
 */
export function CodeDialog({ bridge, signIn, onDone }: { bridge: AppBridge | null; signIn: SignInView; onDone?: () => void }) {
  const length = signIn.codeLength ?? 6;
  const [digits, setDigits] = useState<string[]>(() => Array.from({ length }, () => ''));
  const [notice, setNotice] = useState<string | null>(null);
  const boxes = useRef<Array<HTMLInputElement | null>>([]);
  const { send, busy, error } = useCommand(bridge);

  const fill = (start: number, text: string) => {
    const clean = text.replace(/\D/g, '').slice(0, length - start);
    if (!clean) return;
    setDigits((before) => before.map((digit, i) => (i >= start && i < start + clean.length ? (clean[i - start] ?? digit) : digit)));
    boxes.current[Math.min(start + clean.length, length - 1)]?.focus();
  };
  const onChange = (index: number) => (event: ChangeEvent<HTMLInputElement>) => {
    const text = event.target.value.replace(/\D/g, '');
    const current = digits[index] ?? '';
    if (!text) setDigits((before) => before.map((digit, i) => (i === index ? '' : digit)));
    // Typing into a filled box replaces its digit; a longer value (auto-fill) spreads over the boxes.
    else fill(index, text.length === 2 && current ? text.replace(current, '') : text);
  };
  const onPaste = (index: number) => (event: ClipboardEvent<HTMLInputElement>) => {
    event.preventDefault();
    fill(index, event.clipboardData.getData('text'));
  };
  const onKeyDown = (index: number) => (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Backspace' && !digits[index] && index > 0) boxes.current[index - 1]?.focus();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    const reply = await send({ type: 'submit-code', code: digits.join('') });
    if (reply?.ok && reply.result.status === 'ready') onDone?.();
    if (reply && !reply.ok) {
      setDigits(Array.from({ length }, () => ''));
      boxes.current[0]?.focus();
    }
  };
  const requestCode = async (channel: 'device' | 'sms', phoneId?: number) => {
    const reply = await send({ type: 'request-code', channel, ...(phoneId === undefined ? {} : { phoneId }) });
    if (reply?.ok) setNotice(channel === 'sms' ? 'A new code is on its way by text message.' : 'A new code was sent to your Apple devices.');
  };

  // A sign-in the service started unattended (trust expired) has not asked Apple to send a code yet.
  const asked = useRef(false);
  const needsSending = signIn.codeSentTo === null && signIn.hasTrustedDevices;
  useEffect(() => {
    if (!needsSending || asked.current) return;
    asked.current = true;
    void requestCode('device');
  });

  const where = signIn.codeSentTo === 'sms' ? 'by text message' : 'to your Apple devices';
  const from = broughtBy();
  return (
    <section className="panel code-dialog" aria-labelledby="code-title">
      <h2 id="code-title">Enter the verification code</h2>
      {from && <p className="hint">{from}</p>}
      <p>Apple sent a {length}-digit code {where}.</p>
      <form onSubmit={submit}>
        <fieldset className="code-boxes">
          <legend>Verification code</legend>
          {digits.map((digit, i) => (
            <input
              key={i}
              ref={(element) => {
                boxes.current[i] = element;
              }}
              aria-label={`Digit ${i + 1} of ${length}`}
              inputMode="numeric"
              autoComplete={i === 0 ? 'one-time-code' : 'off'}
              autoFocus={i === 0}
              value={digit}
              onChange={onChange(i)}
              onPaste={onPaste(i)}
              onKeyDown={onKeyDown(i)}
            />
          ))}
        </fieldset>
        {signIn.attemptsLeft !== null && <p className="hint">{signIn.attemptsLeft} tries left for this sign-in.</p>}
        {error && (
          <p role="alert" className="error">
            {refusal(error, signIn)}
          </p>
        )}
        {notice && <p role="status">{notice}</p>}
        <button type="submit" className="primary" disabled={busy || digits.some((d) => d === '')}>
          Continue
        </button>
      </form>
      <details className="no-code">
        <summary>No code arrived?</summary>
        <p>
          On an iPhone, iPad or Mac signed in with this Apple ID, open Settings &gt; [your name] &gt; Sign-In &amp; Security &gt; Get
          Verification Code, and type the code shown there.
        </p>
        {signIn.hasTrustedDevices && (
          <button type="button" disabled={busy} onClick={() => void requestCode('device')}>
            Send to my devices again
          </button>
        )}
        {signIn.phones.length > 0 && (
          <div role="group" aria-label="Text me instead">
            <p>Text me instead:</p>
            {signIn.phones.map((phone) => (
              <button key={phone.id} type="button" disabled={busy} onClick={() => void requestCode('sms', phone.id)}>
                Text {phone.number}
              </button>
            ))}
          </div>
        )}
      </details>
    </section>
  );
}

/**
 * A refused code in the catalogue's words: the service's message also counts the tries left
 * (for the CLI), which the dialog already shows on its own line once.
 */
function refusal(error: CommandError, signIn: SignInView): string {
  return error.code === 'WRONG_CODE' && signIn.attemptsLeft !== null ? userMessage('WRONG_CODE') : error.message;
}

/** What brought the person here: the local page is opened from a notification's link as /?from=<episode>. */
const FROM: Record<string, string> = {
  'code-needed': 'You came from the notification "iCloud Photo Sync needs a verification code".',
  'trust-expiring': 'You came from the notification that the sign-in ends soon.',
  'password-needed': 'You came from the notification that iCloud Photo Sync needs your password.',
};

function broughtBy(): string | null {
  if (typeof window === 'undefined') return null;
  const from = new URLSearchParams(window.location.search).get('from');
  return from ? (FROM[from] ?? 'You came from a notification.') : null;
}
