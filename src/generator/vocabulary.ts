/**
 * Small fixed vocabularies of the generated clickstream. Some values carry commas, quotes
 * or non-ASCII letters on purpose, so that every engine's CSV reader meets RFC 4180
 * quoting and UTF-8 (spec: Input).
 */

export type PageKind = "home" | "category" | "product" | "search" | "content" | "cart" | "checkout";

export interface Page {
  path: string;
  kind: PageKind;
  weight: number;
}

export const SITE = "https://shop.example.com";

export const PAGES: readonly Page[] = [
  { path: "/", kind: "home", weight: 30 },
  { path: "/category/shoes", kind: "category", weight: 9 },
  { path: "/category/jackets", kind: "category", weight: 7 },
  { path: "/category/bags", kind: "category", weight: 5 },
  { path: "/category/accessories", kind: "category", weight: 4 },
  { path: "/category/sale?sort=price,asc", kind: "category", weight: 4 },
  { path: "/category/kids?age=4-6", kind: "category", weight: 2 },
  { path: "/product/trail-runner-2", kind: "product", weight: 6 },
  { path: "/product/city-sneaker-white", kind: "product", weight: 5 },
  { path: "/product/rain-jacket-navy", kind: "product", weight: 4 },
  { path: "/product/wool-coat", kind: "product", weight: 3 },
  { path: "/product/leather-tote", kind: "product", weight: 3 },
  { path: "/product/canvas-backpack", kind: "product", weight: 3 },
  { path: "/product/über-jacke-größe-l", kind: "product", weight: 2 },
  { path: "/product/café-au-lait-mug", kind: "product", weight: 2 },
  { path: "/product/crème-brûlée-set", kind: "product", weight: 1 },
  { path: "/product/日本茶-gift-box", kind: "product", weight: 1 },
  { path: "/product/søvnpose-vinter", kind: "product", weight: 1 },
  { path: "/product/socks-3-pack?colors=red,blue,green", kind: "product", weight: 2 },
  { path: "/product/hiking-boot-gtx", kind: "product", weight: 3 },
  { path: "/product/linen-shirt", kind: "product", weight: 2 },
  { path: "/product/gift-card-50", kind: "product", weight: 1 },
  { path: "/search?q=running+shoes", kind: "search", weight: 4 },
  { path: '/search?q="rain jacket"', kind: "search", weight: 2 },
  { path: "/search?q=boots,waterproof&size=43", kind: "search", weight: 2 },
  { path: "/search?q=sac+à+dos", kind: "search", weight: 1 },
  { path: "/about", kind: "content", weight: 1 },
  { path: "/help/returns", kind: "content", weight: 2 },
  { path: "/help/shipping", kind: "content", weight: 2 },
  { path: "/blog/10-tips-for-trail-running", kind: "content", weight: 1 },
  { path: "/account/orders", kind: "content", weight: 2 },
  { path: "/cart", kind: "cart", weight: 3 },
  { path: "/checkout", kind: "checkout", weight: 0 },
  { path: "/checkout/complete", kind: "checkout", weight: 0 },
];

export const CART_PAGE = PAGES.findIndex((p) => p.path === "/cart");
export const CHECKOUT_PAGE = PAGES.findIndex((p) => p.path === "/checkout");
export const CHECKOUT_COMPLETE_PAGE = PAGES.findIndex((p) => p.path === "/checkout/complete");

/** Referrer of a session's landing event; "" is a direct visit (null). */
export const EXTERNAL_REFERRERS: readonly { url: string; weight: number }[] = [
  { url: "", weight: 38 },
  { url: "https://www.google.com/", weight: 22 },
  { url: "https://www.google.com/search?q=trail+running+shoes", weight: 4 },
  { url: "https://www.bing.com/search?q=rain+jacket", weight: 4 },
  { url: "https://duckduckgo.com/", weight: 3 },
  { url: "https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example.com%2F", weight: 6 },
  { url: "https://t.co/Ab3xYz", weight: 3 },
  { url: "https://www.instagram.com/", weight: 4 },
  { url: "https://mail.example.org/campaign?id=2026-01,newsletter", weight: 3 },
  { url: "android-app://com.google.android.gm/", weight: 2 },
  { url: "https://www.reddit.com/r/running/comments/abc123/", weight: 2 },
  { url: "https://www.preisvergleich.de/größen?q=schuhe", weight: 1 },
  { url: 'https://forum.example.net/t/"best" trail shoes?', weight: 1 },
];

/** Browser strings; most carry "(KHTML, like Gecko)" and so need CSV quoting. */
export const USER_AGENTS: readonly { ua: string; weight: number }[] = [
  {
    ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    weight: 30,
  },
  {
    ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    weight: 12,
  },
  {
    ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    weight: 18,
  },
  {
    ua: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    weight: 12,
  },
  {
    ua: "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    weight: 5,
  },
  {
    ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    weight: 7,
  },
  {
    ua: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    weight: 3,
  },
  {
    ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    weight: 6,
  },
  {
    ua: "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
    weight: 3,
  },
  { ua: "ShopApp/5.2.1 (iPhone; iOS 18.1; de_DE; Größe L)", weight: 2 },
  {
    ua: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    weight: 1,
  },
  {
    ua: 'Mozilla/5.0 (compatible; "PriceWatcher" crawler/1.4; +https://example.net/bot)',
    weight: 1,
  },
  { ua: "curl/8.5.0", weight: 0.5 },
  { ua: "python-requests/2.32.3", weight: 0.5 },
];

/** The funnel's event types, in funnel order (spec: Cleansing 6 lower-cases them). */
export const EVENT_TYPES = ["page_view", "click", "add_to_cart", "purchase"] as const;
export const PAGE_VIEW = 0;
export const CLICK = 1;
export const ADD_TO_CART = 2;
export const PURCHASE = 3;

/**
 * Funnel as a Markov chain: TRANSITIONS[previous type] = weights of the next type.
 * A purchase only follows an add_to_cart, so counts fall page_view > click > add_to_cart > purchase.
 */
export const TRANSITIONS: readonly (readonly number[])[] = [
  [0.5, 0.4, 0.1, 0],
  [0.55, 0.2, 0.25, 0],
  [0.35, 0.15, 0.1, 0.4],
  [0.75, 0.25, 0, 0],
];

/** Case and whitespace noise on event_type (DIRTY_RATES.eventTypeCase). */
export function eventTypeCaseVariants(type: string): string[] {
  const title = type
    .split("_")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("_");
  const mixed = type.charAt(0).toUpperCase() + type.slice(1);
  return [type.toUpperCase(), title, mixed, ` ${type}`, `${type.toUpperCase()}\t`];
}

/** Leading/trailing padding used by DIRTY_RATES.paddedField (spec: Cleansing 1 trims these). */
export const PADS: readonly [string, string][] = [
  [" ", ""],
  ["", " "],
  ["  ", "  "],
  ["\t", ""],
  ["", "\t"],
  [" ", "\t "],
];

export const MALFORMED_IPS: readonly string[] = [
  "256.12.3.4",
  "192.168.1",
  "10.0.0.300",
  "01.2.3.4",
  "1.2.3.4.5",
  "1.2.3.4:8080",
  "::ffff:192.0.2.1",
  "fe80::1%eth0",
  "2001:db8::g1",
  "2001:db8:::1",
  "[2001:db8::1]",
  "localhost",
  "unknown",
  "-",
  "1,2,3,4",
];

export const BAD_REVENUES: readonly string[] = [
  "49.999",
  "$49.99",
  "49,99",
  "USD 49.99",
  "4.999e1",
  "forty-nine",
  "49.99.1",
  "12345678901.00",
  "1 299.00",
  "--5.00",
  ".99",
  "NaN",
];

/** Offsets used for valid zoned timestamps, in minutes east of UTC. */
export const OFFSETS_MINUTES: readonly number[] = [
  0, 60, 120, -300, -480, 330, 540, -210, 345, 840, -720, 600, -180,
];

/** DIRTY_RATES.badOffset: zones outside `Z` / `±HH:MM` with hours 00-18. */
export const BAD_OFFSETS: readonly string[] = ["+19:00", "-23:00", "+0100", "+01", "+1:00", " UTC"];

/** DIRTY_RATES.garbageTime: text that is no timestamp of the grammar. */
export const GARBAGE_TIMES: readonly string[] = [
  "yesterday",
  "1767225600",
  "2026/01/05 10:00:00",
  "N/A",
  "null",
  "05/01/2026 10:00",
  "2026-01-05",
  "10:00:00",
  "0000-00-00 00:00:00",
  "2026-1-5T10:00:00Z",
  "2026-01-05T10:00",
  "2026-01-05T10:00:00.Z",
  "2026-01-05t10:00:00z",
  "2026-01-05  10:00:00",
];
