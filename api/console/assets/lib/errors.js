// The API's error messages in the user's language. The API answers in English
// with stable codes; its messages follow a small set of shapes (api/input.go,
// registry/validate.go, the store), each matched here to a catalogue entry.
// A message no shape matches is shown under its translated code, as sent.
import { t, has } from './i18n.js';

// Each pattern: regular expression, catalogue key, names of the captures.
// A capture named field is shown as the field's label.
const patterns = [
  [/^(\S+) is required(?:: .*)?$/, 'v.required', ['field']],
  [/^(\S+) must be one of (.+)$/, 'v.oneOf', ['field', 'values']],
  [/^(\S+) is longer than (\d+) characters$/, 'v.tooLong', ['field', 'n']],
  [/^(\S+) contains a control character$/, 'v.control', ['field']],
  [/^(\S+) is not valid UTF-8$/, 'v.utf8', ['field']],
  [/^(\S+) must be a 0x-prefixed 20-byte hex address$/, 'v.address', ['field']],
  [/^(\S+) has an invalid EIP-55 checksum$/, 'v.checksum', ['field']],
  [/^(\S+) is not hexadecimal$/, 'v.hex', ['field']],
  [/^(\S+) must not be the zero address$/, 'v.zeroAddress', ['field']],
  [/^(\S+) must be a decimal integer string of 1 to 78 digits$/, 'v.amount', ['field']],
  [/^(\S+) exceeds uint256$/, 'v.uint256', ['field']],
  [/^(\S+) must contain only decimal digits$/, 'v.digits', ['field']],
  [/^(\S+) must not have leading zeros$/, 'v.leadingZeros', ['field']],
  [/^(\S+) must be between years 1 and 9999$/, 'v.year', ['field']],
  [/^(\S+) has too many entries$/, 'v.tooMany', ['field']],
  [/^(\S+): "(.*)" is not an ISO 3166-1 alpha-2 country code$/, 'v.countryIn', ['field', 'value']],
  [/^(\S+) (0x[0-9a-fA-F]+) is (.+) and can never hold a token$/, 'v.neverHolds', ['field', 'address', 'why']],
  [/^(\S+) (0x[0-9a-fA-F]+) is the eligibility registry of issuance (\d+)$/, 'v.isRegistry', ['field', 'address', 'id']],
  [/^(\S+) (0x[0-9a-fA-F]+) is the token contract of issuance (\d+)$/, 'v.isToken', ['field', 'address', 'id']],
  [/^(\S+) must be a positive integer in decimal$/, 'v.positiveInt', ['field']],
  [/^(\S+) must be a block number up to (\d+)$/, 'v.blockMax', ['field', 'n']],
  [/^(\S+) must be (?:a block number|a page size|a non-negative integer cursor.*)$/, 'v.number', ['field']],
  [/^(\S+) does not apply to (\S+)$/, 'v.notApply', ['field', 'kind']],
  [/^field "(.+)" must be of type (\S+)$/, 'v.type', ['field', 'type']],
  [/^limit must be between 1 and (\d+)$/, 'v.limit', ['n']],
  [/^malformed JSON at byte (\d+)$/, 'v.json', ['n']],
  [/^unknown field "(.+)"$/, 'v.unknownField', ['field']],
  [/^corporateNumber must be a 13-digit Japanese corporate number with a valid check digit$/, 'v.corporateNumber', []],
  [/^residenceCountry must be an ISO 3166-1 alpha-2 country code$/, 'v.residenceCountry', []],
  [/^a VERIFIED KYC needs verifiedAt and reviewDue$/, 'v.kycVerified', []],
  [/^kyc.reviewDue must not be before kyc.verifiedAt$/, 'v.kycOrder', []],
  [/^dateOfBirth applies to individuals only$/, 'v.dobIndividual', []],
  [/^decimals must be between 0 and 18$/, 'v.decimals', []],
  [/^maxHolders must be between 0 \(unlimited\) and (\d+)$/, 'v.maxHolders', ['n']],
  [/^a small-number private placement allows at most (\d+) holders$/, 'v.smallNumber', ['n']],
  [/^minHolding must not exceed maxHolding$/, 'v.minMax', []],
  [/^offeringEnd must not be before offeringStart$/, 'v.offeringOrder', []],
  [/^product.leverage must be a decimal number such as .*$/, 'v.leverage', []],
  [/^product.leverage must be at least 1$/, 'v.leverageMin', []],
  [/^product.leverage requires product.class DERIVATIVE or CFD$/, 'v.leverageClass', []],
  [/^a specified-investor opt-in lasts at most one year$/, 'v.optIn', []],
  [/^an investor may have at most 100 wallets$/, 'v.wallets', []],
  [/^at most 20 category grants$/, 'v.grants', []],
  [/^category (\S+) is listed twice$/, 'v.categoryTwice', ['category']],
  [/^category (\S+) needs validFrom <= validTo$/, 'v.categoryOrder', ['category']],
  [/^checkedAt is required$/, 'v.checkedAt', []],
  [/^wallet (\S+) is listed twice$/, 'v.walletTwice', ['address']],
  [/^amount must be a positive integer$/, 'v.amountPositive', []],
  [/^from and to must differ$/, 'v.fromTo', []],
  [/^dates are (?:strings )?formatted YYYY-MM-DD$/, 'v.date', []],
  [/^timestamps must be RFC 3339.*$/, 'v.timestamp', []],
  [/^request body must be a JSON object$/, 'v.object', []],
  [/^invalid JSON body$/, 'v.badJSON', []],
  [/^kind must be DIVIDEND, INTEREST or REDEMPTION$/, 'v.distributionKind', []],
  [/^(paymentDate|recordDate) must be a date YYYY-MM-DD$/, 'v.dateField', ['field']],
  [/^(recordDate) \(YYYY-MM-DD\) is required$/, 'v.required', ['field']],
  [/^paymentDate must not precede recordDate$/, 'v.paymentOrder', []],
  [/^an allocation is a CSV.*$/, 'v.allocationCSV', []],
  [/^an allocation CSV needs a header row.*$/, 'v.csvHeader', []],
  [/^unknown CSV column "(.*)".*$/, 'v.csvColumn', ['value']],
  [/^CSV column "(.*)" appears twice$/, 'v.csvTwice', ['value']],
  [/^mode must be validate or apply$/, 'v.mode', []],
  [/^Content-Type must be text\/csv or application\/json$/, 'v.contentType', []],
  [/^format must be json or csv$/, 'v.format', []],
  [/^request body must hold exactly one JSON value$/, 'v.oneValue', []],
  [/^could not read request body$/, 'v.unreadable', []],
  [/^malformed query string$/, 'v.query', []],
  [/^(?:path|query) parameter (\S+) holds invalid UTF-8 or a control character$/, 'v.control', ['field']],
  [/^a query parameter name holds invalid UTF-8 or a control character$/, 'v.queryName', []],
  [/^request body exceeds (\d+) bytes$/, 'v.tooLarge', ['n']],
  [/^categories is required; an empty list \[\] removes every grant$/, 'v.categories', []],
  [/^give recordDate or block, not both$/, 'v.recordOrBlock', []],
  [/^recordDate must be a date YYYY-MM-DD$/, 'v.recordDateFormat', []],
  [/^recordDate \(YYYY-MM-DD\) or block is required$/, 'v.recordOrBlockRequired', []],
  [/^(\S+) must be an RFC 3339 timestamp or a date YYYY-MM-DD$/, 'v.instant', ['field']],
  [/^(\S+) "(.*)" not found$/, 'e.notFoundParam', ['field', 'value']],
  [/^(issuance|investor|seller|operation) (\d+) not found$/, 'e.notFound', ['what', 'id']],
  [/^key (\S+) not found$/, 'e.keyNotFound', ['id']],
  [/^investor (\d+) is not on the whitelist of issuance (\d+)$/, 'e.notOnWhitelist', ['investor', 'issuance']],
  [/^wallet (\S+) not found on investor (\d+)$/, 'e.walletNotFound', ['address', 'investor']],
  [/^seller (\d+) does not exist$/, 'e.sellerMissing', ['id']],
  [/^a seller with corporate number (\d+) is already registered$/, 'e.sellerExists', ['number']],
  [/^customerRef "(.*)" is already onboarded by this seller$/, 'e.customerExists', ['ref']],
  [/^wallet (\S+) is already registered$/, 'e.walletExists', ['address']],
  [/^issuance (\d+) cannot move from (\S+) to (\S+)$/, 'e.issuanceMove', ['id', 'from', 'to']],
  [/^seller (\d+) cannot move from (\S+) to (\S+)$/, 'e.sellerMove', ['id', 'from', 'to']],
  [/^issuance (\d+) is (\S+); register it before (deploying|attaching contracts)$/, 'e.registerFirst', ['id', 'status', 'what']],
  [/^issuance (\d+) already has a token at (\S+)$/, 'e.hasToken', ['id', 'address']],
  [/^a deployment of issuance (\d+) is already under way$/, 'e.deploying', ['id']],
  [/^issuance (\d+) has no token (?:deployed or attached|yet; deploy or attach one first)$/, 'e.noToken', ['id']],
  [/^issuance (\d+)'s chain work is halted \((.*)\): .*$/, 'e.halted', ['id', 'why']],
  [/^issuance (\d+) is redeemed$/, 'e.redeemed', ['id']],
  [/^token (\S+) is already attached to another issuance$/, 'e.tokenTaken', ['address']],
  [/^(\S+) is not a stonode (EligibilityRegistry|SecurityToken)$/, 'e.notStonode', ['address', 'what']],
  [/^no contract at (\S+) on chain (\d+)$/, 'e.noContract', ['address', 'chain']],
  [/^block (\d+) is not mirrored yet \(mirrored up to (\d+)\)$/, 'e.notMirrored', ['block', 'upTo']],
  [/^seller is (\S+) and may not (make changes|onboard investors)$/, 'e.sellerInactive', ['status', 'what']],
  [/^a seller (onboards its own customers|registers issuances it leads)$/, 'e.sellerOwn', ['what']],
  [/^only the lead seller (.+)$/, 'e.leadOnly', ['what']],
  [/^a (\S+) key may not use this endpoint$/, 'e.roleEndpoint', ['role']],
  [/^role (\S+) may not do this$/, 'e.roleEndpoint', ['role']],
  [/^invalid or revoked API key$/, 'e.badKey', []],
  [/^an API key is required.*$/, 'e.noKey', []],
  [/^not signed in to the console$/, 'e.notSignedIn', []],
  [/^the console session has expired or ended; sign in again$/, 'e.sessionEnded', []],
  [/^a console request that changes something needs the session's CSRF token in .*$/, 'e.csrf', []],
  [/^the seller is (\S+); its console sessions have ended$/, 'e.sellerEnded', ['status']],
  [/^the key's seller no longer exists$/, 'e.sellerGone', []],
  [/^cross-origin sign-in refused$/, 'e.crossOrigin', []],
  [/^sign-in takes a JSON body.*$/, 'e.signInBody', []],
  [/^the product policy refuses this issuance$/, 'e.policy', []],
  [/^this node has no chain connection$/, 'e.noChain', []],
  [/^the transfer mirror is not available$/, 'e.noMirror', []],
  [/^the database is unreachable; retry shortly$/, 'e.database', []],
  [/^internal error$/, 'e.internal', []],
];

// fieldLabel names an API field in the user's language (field.<name>), or
// shows its API name.
export function fieldLabel(name) {
  const key = `field.${name}`;
  return has(key) ? t(key) : name;
}

// translate returns {text, field}: the message in the user's language and the
// API field it is about, if any (so a form can put it next to that field).
export function translate(err) {
  const message = err.message || '';
  for (const [re, key, names] of patterns) {
    const m = message.match(re);
    if (!m) continue;
    const vars = {};
    names.forEach((n, i) => { vars[n] = m[i + 1]; });
    const field = vars.field;
    if (field) vars.field = fieldLabel(field);
    if (vars.status) vars.status = has(`enum.${vars.status}`) ? t(`enum.${vars.status}`) : vars.status;
    if (vars.what && has(`noun.${vars.what}`)) vars.what = t(`noun.${vars.what}`);
    return { text: t(key, vars), field, matched: true };
  }
  const lead = message.match(/^(\S+?)[:\s]/);
  return { text: `${t(`error.${err.code}`)}: ${message}`, field: lead ? lead[1] : undefined, matched: false };
}

// reasonText is a reason code's message in the user's language.
export function reasonText(code) {
  return has(`reason.${code}`) ? t(`reason.${code}`) : code;
}

export const patternKeys = patterns.map((p) => p[1]);
