/**
 * npm run templates:preview [-- <out.html>]
 *
 * Writes a static HTML gallery of every message in every locale and channel
 * (default dist/templates-preview/index.html): each SMS with its encoding,
 * segment and character counts (as sent with sample values, and at the
 * placeholders' longest), each email subject and rendered body. Open the
 * file in a browser.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MESSAGE_KINDS, type MessageKind } from '../shared/events';
import { requiredSlots } from '../shared/templates/check';
import { escapeHtml } from '../shared/templates/escape';
import { smsEncodingOf } from '../shared/templates/gsm';
import { compileTemplate } from '../shared/templates/parse';
import { createRenderer } from '../shared/templates/render';
import { maxSegmentsOf, worstCaseText } from '../shared/templates/rules';
import type { TemplateSettings } from '../shared/templates/settings';
import type { Catalogue, Slot } from '../shared/templates/types';
import { checkCatalogueDir, readTemplateSettings } from './templates-check';

const ROOT = path.resolve(__dirname, '..');

/** The sample values the gallery fills placeholders with. */
export const SAMPLE = {
  code: '123456',
  temporaryPassword: 'Tq7#pW2x',
  username: 'ada.lovelace',
  link: '{##Click Here##}',
  userAttributes: { given_name: 'Ada', family_name: 'Lovelace' },
} as const;

/** One card of the gallery. */
export interface PreviewCard {
  readonly kind: MessageKind;
  readonly locale: string;
  readonly slot: Slot;
  readonly clientId?: string;
}

function smsStats(text: string): string {
  const { encoding, units, segments } = smsEncodingOf(text);
  const chars = [...text].length;
  return `${encoding} · ${segments} segment${segments === 1 ? '' : 's'} · ${chars} chars · ${units} units`;
}

function renderCard(
  card: PreviewCard,
  catalogue: Catalogue,
  settings: TemplateSettings,
): string {
  const slotSettings = {
    ...settings,
    emailVerification: card.slot === 'emailBodyLink' ? 'link' : 'code',
  } as const;
  const renderer = createRenderer(catalogue, slotSettings);
  const channel = card.slot === 'emailBodyLink' ? 'emailBody' : card.slot;
  const { text } = renderer.renderMessage({
    kind: card.kind,
    channel,
    locales: [card.locale],
    clientId: card.clientId,
    placeholders: {
      code:
        card.kind === 'AdminCreateUser'
          ? SAMPLE.temporaryPassword
          : SAMPLE.code,
      username: SAMPLE.username,
      link: SAMPLE.link,
    },
    userAttributes: SAMPLE.userAttributes,
  });
  const title = `CustomMessage_${card.kind} · ${card.slot} · ${card.locale}${card.clientId ? ` · client ${card.clientId}` : ''}`;
  const data = `data-kind="${card.kind}" data-locale="${card.locale}" data-channel="${card.slot}"`;
  if (card.slot === 'sms') {
    const template = lookupTemplate(card, catalogue);
    const worst = worstCaseText(
      compileTemplate(template),
      card.kind,
      'sms',
      settings,
    );
    const maxSegments = maxSegmentsOf(card.kind, settings);
    return `<article class="card sms" ${data}><h3>${escapeHtml(title)}</h3>
<pre class="bubble">${escapeHtml(text)}</pre>
<p class="stats">as sent: <span class="sample-stats">${smsStats(text)}</span></p>
<p class="stats">longest: <span class="worst-stats">${smsStats(worst)}</span> (limit ${maxSegments} segment${maxSegments === 1 ? '' : 's'}, 140 chars)</p></article>`;
  }
  if (card.slot === 'emailSubject') {
    return `<article class="card subject" ${data}><h3>${escapeHtml(title)}</h3>
<p class="subject-line">${text}</p><p class="stats">${[...text].length} chars</p></article>`;
  }
  return `<article class="card email" ${data}><h3>${escapeHtml(title)}</h3>
<div class="email-body">${asLink(text)}</div><p class="stats">${[...text].length} chars (limit 20000)</p></article>`;
}

// Shows Cognito's link placeholder as the link it becomes.
function asLink(html: string): string {
  return html.replace(/\{##([^#]*)##\}/g, '<a href="#confirm">$1</a>');
}

function lookupTemplate(card: PreviewCard, catalogue: Catalogue): string {
  const { locale, kind, slot, clientId } = card;
  return (
    (clientId
      ? catalogue.clients[clientId]?.[locale]?.[kind]?.[slot]
      : undefined) ??
    catalogue.all[locale]?.[kind]?.[slot] ??
    catalogue.locales.get(locale)?.[kind]?.[slot] ??
    ''
  );
}

/** Every card: each locale's messages, then each client's overrides. */
export function previewCards(catalogue: Catalogue): PreviewCard[] {
  const cards: PreviewCard[] = [];
  for (const kind of MESSAGE_KINDS) {
    for (const locale of catalogue.locales.keys()) {
      for (const slot of requiredSlots(kind))
        cards.push({ kind, locale, slot });
    }
  }
  for (const [clientId, locales] of Object.entries(catalogue.clients)) {
    for (const [locale, kinds] of Object.entries(locales)) {
      for (const kind of MESSAGE_KINDS) {
        for (const slot of requiredSlots(kind)) {
          if (kinds[kind]?.[slot] !== undefined)
            cards.push({ kind, locale, slot, clientId });
        }
      }
    }
  }
  return cards;
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:24px;background:#f4f5f7;color:#1d1d1f}
h1{margin:0 0 4px}h2{margin:32px 0 8px;border-bottom:2px solid #ccd;padding-bottom:4px}
.summary{color:#555}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:14px}
.card{background:#fff;border-radius:10px;padding:12px 14px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.card h3{font-size:13px;margin:0 0 8px;color:#444;font-weight:600}
.bubble{white-space:pre-wrap;font:15px/1.4 system-ui,sans-serif;background:#e7f7e9;border-radius:14px;padding:10px 12px;margin:0}
.stats{font-size:12px;color:#666;margin:6px 0 0}.subject-line{font-weight:600;margin:0}
.email-body{border:1px solid #e3e3e8;border-radius:6px;padding:8px 12px;max-height:360px;overflow:auto}
.violations{background:#fdecea;border:1px solid #f5c2c0;padding:8px 12px;border-radius:8px}`;

/**
 * Builds the gallery page for a catalogue.
 *
 * @param options.dir - the catalogue folder (default config/templates)
 * @param options.settings - the `templates` settings (default: suite.json)
 * @returns the page and its cards
 */
export function buildPreview(
  options: { dir?: string; settings?: TemplateSettings } = {},
): { html: string; cards: PreviewCard[] } {
  const settings = options.settings ?? readTemplateSettings();
  const dir = options.dir ?? path.join(ROOT, 'config/templates');
  const { catalogue, violations } = checkCatalogueDir(dir, settings);
  const cards = previewCards(catalogue);
  const sections = MESSAGE_KINDS.map((kind) => {
    const items = cards
      .filter((card) => card.kind === kind)
      .map((card) => {
        try {
          return renderCard(card, catalogue, settings);
        } catch (error) {
          return `<article class="card failed"><h3>${card.kind} ${card.slot} ${card.locale}</h3><p>${escapeHtml(String(error))}</p></article>`;
        }
      });
    return `<section><h2>CustomMessage_${kind}</h2><div class="grid">${items.join('\n')}</div></section>`;
  });
  const problems =
    violations.length === 0
      ? '<p class="summary">npm run templates:check: every message passes.</p>'
      : `<div class="violations"><p>${violations.length} violation(s), see npm run templates:check</p></div>`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Message templates</title><style>${STYLE}</style></head><body>
<h1>Message templates</h1>
<p class="summary">${catalogue.locales.size} locales (${[...catalogue.locales.keys()].join(', ')}), default ${settings.defaultLocale}; ${cards.length} messages. Sample values: code ${SAMPLE.code}, temporary password ${escapeHtml(SAMPLE.temporaryPassword)}, user name ${SAMPLE.username}, given_name ${SAMPLE.userAttributes.given_name}. SMS limit: ${settings.maxSmsSegments} segment(s), invitations ${settings.maxInvitationSmsSegments}, 140 chars.</p>
${problems}
${sections.join('\n')}
</body></html>
`;
  return { html, cards };
}

/**
 * Writes the gallery.
 *
 * @param out - the HTML file to write
 */
export function writePreview(
  out = path.join(ROOT, 'dist/templates-preview/index.html'),
  options: { dir?: string; settings?: TemplateSettings } = {},
): { file: string; cards: PreviewCard[] } {
  const { html, cards } = buildPreview(options);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, html);
  return { file: out, cards };
}

if (require.main === module) {
  const { file, cards } = writePreview(
    process.argv[2] ? path.resolve(process.argv[2]) : undefined,
  );
  process.stdout.write(
    `templates:preview: ${cards.length} messages -> ${path.relative(process.cwd(), file)}\n`,
  );
}
