// A User-Agent header in words a person recognises ("Chrome 126 on macOS"); clients that are not
// browsers (the CLI, curl, scripts) keep their own name. Only for display: the raw header is shown
// on hover, and nothing is decided from it.

const BROWSERS: [RegExp, string][] = [
  [/Edg\/(\d+)/, "Edge"],
  [/OPR\/(\d+)/, "Opera"],
  [/Firefox\/(\d+)/, "Firefox"],
  [/(?:Headless)?Chrome\/(\d+)/, "Chrome"],
  [/Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//, "Safari"],
];

const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, "iOS"],
  [/Android/, "Android"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Windows/, "Windows"],
  [/CrOS/, "ChromeOS"],
  [/Linux|X11/, "Linux"],
];

/** "Chrome 126 on macOS", "Firefox 128", "imbi-cli", or "Unknown client". */
export function describeDevice(userAgent: string | null | undefined): string {
  const ua = (userAgent ?? "").trim();
  if (!ua) return "Unknown client";
  const browser = BROWSERS.map(([re, name]) => {
    const m = re.exec(ua);
    return m ? `${name} ${m[1]}` : null;
  }).find((x) => x !== null);
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  if (browser) return system ? `${browser} on ${system}` : browser;
  // Not a browser: its product token ("curl/8.5.0" → "curl 8.5.0").
  const token = /^([A-Za-z][\w.-]*)(?:\/([\w.]+))?/.exec(ua);
  return token ? [token[1], token[2]].filter(Boolean).join(" ") : ua.slice(0, 60);
}
