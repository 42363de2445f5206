import type { DomainSpamSettings, DomainSpamSettingsInput, SpamHandling, SpamList, SpamSettings, SpamSettingsInput } from '../../domain/spam.js';

/** Spam settings and lists in the words of the vendor's wiki, and its fields in the domain's. */

const HANDLING_WORDS: Record<SpamHandling, string> = { folder: 'toFolder', delete: 'delete', label: 'labelSubject', forward: 'toAddress' };
const HANDLING_BY_WORD = new Map(Object.entries(HANDLING_WORDS).map(([k, v]) => [v.toLowerCase(), k]));

/** The wiki's list URLs (and the names they had before 2020, which older clients still call). */
export const SPAM_LIST_PATHS: { list: SpamList; path: string; old?: string; operation: string }[] = [
  { list: 'safe_senders', path: 'safelist', operation: 'Safelist' },
  { list: 'blocked_senders', path: 'blocklist', old: 'blacklist', operation: 'Blocklist' },
  { list: 'safe_ips', path: 'ipsafelist', operation: 'IpSafelist' },
  { list: 'blocked_ips', path: 'ipblocklist', old: 'ipblacklist', operation: 'IpBlocklist' },
];

/** The XML root of a list document: the last segment of the URL it was asked at (`blocklist`, or `blacklist` there). */
export function spamListRoot(url: string | undefined, fallback: string): string {
  const last = (url ?? '').split('/').filter((s) => s && !s.startsWith(':')).pop();
  return last && /list$/.test(last) ? last : fallback;
}

const rsEmail = (s: SpamSettings) => ({
  spamHandling: HANDLING_WORDS[s.handling],
  hasFolderCleaner: s.folderCleaner,
  spamFolderAgeLimit: s.folderAgeLimit,
  spamFolderNumLimit: s.folderCountLimit,
  spamForwardingAddress: s.forwardingAddress,
});

/** The wiki's DomainSpamSettings document, in its element order. */
export function domainSpamDocument(s: DomainSpamSettings) {
  return {
    filterLevel: s.filterLevel,
    rsEmailSettings: rsEmail(s),
    exchangeSettings: {
      forwardToDomainQuarantine: s.exchange.domainQuarantine ? 'on' : 'off',
      quarantineOwner: s.exchange.quarantineOwner,
      defaultQuarantineOwner: s.exchange.defaultQuarantineOwner,
    },
  };
}

/** The wiki's RSMailboxSpamSetting document, in its XML element order (the JSON schema orders the JSON). */
export function mailboxSpamDocument(s: SpamSettings) {
  return { filterLevel: s.filterLevel, rsEmailSettings: rsEmail(s) };
}

export const spamListDocument = (entries: string[]) => ({ addresses: entries });
export const SPAM_XML_ITEMS = { addresses: 'address' };
export const SPAM_NAMESPACES = { domain: 'urn:xml:DomainSpamSettings', mailbox: 'urn:xml:RSMailboxSpamSetting' };

const nested = (body: Record<string, unknown>, key: string): Record<string, unknown> => {
  const v = body[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
};

/** A dotted form field (`rsEmail.spamHandling`), or the same field inside the show document's shape. */
const field = (body: Record<string, unknown>, prefix: string, group: string, name: string) => body[`${prefix}.${name}`] ?? nested(body, group)[name];

/** The wiki's word as the domain's (an unknown word as null, which the domain refuses with the wiki's words). */
function handling(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return HANDLING_BY_WORD.get(v.trim().toLowerCase()) ?? null;
}

export function spamSettingsInput(body: Record<string, unknown>): SpamSettingsInput {
  const rs = (name: string) => field(body, 'rsEmail', 'rsEmailSettings', name);
  return {
    filterLevel: body.filterLevel,
    handling: handling(rs('spamHandling')),
    folderCleaner: rs('hasFolderCleaner'),
    folderAgeLimit: rs('spamFolderAgeLimit'),
    folderCountLimit: rs('spamFolderNumLimit'),
    forwardingAddress: rs('spamForwardingAddress'),
  };
}

export function domainSpamSettingsInput(body: Record<string, unknown>): DomainSpamSettingsInput {
  const ex = (name: string) => field(body, 'exchange', 'exchangeSettings', name);
  return {
    ...spamSettingsInput(body),
    overrideMailboxes: body.overrideUserSettings,
    domainQuarantine: ex('forwardToDomainQuarantine'),
    quarantineOwner: ex('quarantineOwner'),
    defaultQuarantineOwner: ex('defaultQuarantineOwner'),
  };
}
