import type { Table } from "apache-arrow";
import type { Chart } from "./display.ts";
import { column, isoDays, topKeys } from "./columns.ts";
import { Plot, renderPlot } from "./renderPlot.ts";

/**
 * One chart per named question (src/analytics/queries), each taking the question's answer as
 * an Arrow table (src/analytics/answerToArrow.ts) and returning a Chart: Observable Plot SVG
 * or a Plotly figure. Notebook 03 and the slides call these; keep names and signatures stable.
 */

const WIDTH = 720;

export function dailyActiveUsersChart(t: Table): Chart {
  return {
    kind: "svg",
    svg: renderPlot({
      width: WIDTH,
      height: 280,
      marginLeft: 60,
      ariaLabel: "Daily active users",
      x: { type: "utc", label: "day (UTC)" },
      y: { grid: true, label: "active users", zero: true },
      marks: [
        Plot.areaY(t, { x: "day", y: "active_users", fillOpacity: 0.15 }),
        Plot.lineY(t, { x: "day", y: "active_users", strokeWidth: 2 }),
        Plot.dot(t, { x: "day", y: "active_users", r: 2 }),
      ],
    }),
  };
}

/** Stacked bars of sessions per day for the top `n` countries; the rest as "other". */
export function sessionsByCountryDayChart(t: Table, n = 8): Chart {
  const days = isoDays(column<number>(t, "day"));
  const countries = column<string>(t, "country_code").map((c) => c ?? "(unknown)");
  const sessions = column<number>(t, "sessions");
  const top = topKeys(countries, sessions, n);
  const series = [...top, "other"];
  const byKey = new Map<string, Map<string, number>>(series.map((s) => [s, new Map()]));
  days.forEach((d, i) => {
    const key = top.includes(countries[i]!) ? countries[i]! : "other";
    const m = byKey.get(key)!;
    m.set(d!, (m.get(d!) ?? 0) + (sessions[i] ?? 0));
  });
  const allDays = [...new Set(days)].sort() as string[];
  return {
    kind: "plotly",
    figure: {
      data: series.map((s) => ({
        type: "bar",
        name: s,
        x: allDays,
        y: allDays.map((d) => byKey.get(s)!.get(d) ?? 0),
      })),
      layout: {
        title: { text: `Sessions per day, top ${n} countries` },
        barmode: "stack",
        height: 380,
        xaxis: { title: { text: "day (UTC)" } },
        yaxis: { title: { text: "sessions" } },
      },
    },
  };
}

export function sessionStatsChart(t: Table): Chart {
  const get = (c: string) => column<number>(t, c)[0] ?? 0;
  const rows = [
    { measure: "duration (minutes)", stat: "mean", value: get("avg_duration_seconds") / 60 },
    { measure: "duration (minutes)", stat: "median", value: get("median_duration_seconds") / 60 },
    { measure: "events per session", stat: "mean", value: get("avg_events") },
    { measure: "events per session", stat: "median", value: get("median_events") },
  ];
  return {
    kind: "svg",
    svg: renderPlot({
      width: WIDTH,
      height: 200,
      marginLeft: 140,
      ariaLabel: "Session length: mean and median",
      x: { grid: true, label: "value" },
      fy: { label: null },
      y: { label: null },
      color: { legend: false },
      marks: [
        Plot.barX(rows, { fy: "measure", y: "stat", x: "value", fill: "stat" }),
        Plot.text(rows, {
          fy: "measure",
          y: "stat",
          x: "value",
          text: (d: { value: number }) => d.value.toFixed(1),
          dx: 4,
          textAnchor: "start",
        }),
      ],
    }),
  };
}

export function bounceRateByLandingPageChart(t: Table): Chart {
  return {
    kind: "svg",
    svg: renderPlot({
      width: WIDTH,
      height: 40 + 24 * t.numRows,
      marginLeft: 260,
      ariaLabel: "Bounce rate by landing page",
      x: { grid: true, label: "bounce rate", percent: true, domain: [0, 100] },
      y: { label: null },
      marks: [
        Plot.barX(t, {
          y: (d: { landing_page: string | null }) =>
            (d.landing_page ?? "(none)").replace("https://shop.example.com", ""),
          x: "bounce_rate",
          sort: { y: "-x", reduce: "first" },
          fill: "steelblue",
        }),
        Plot.text(t, {
          y: (d: { landing_page: string | null }) =>
            (d.landing_page ?? "(none)").replace("https://shop.example.com", ""),
          x: "bounce_rate",
          text: (d: { sessions: number }) => `${d.sessions} sessions`,
          dx: 4,
          textAnchor: "start",
        }),
      ],
    }),
  };
}

export function funnelChart(t: Table): Chart {
  return {
    kind: "plotly",
    figure: {
      data: [
        {
          type: "funnel",
          y: column<string>(t, "event_type"),
          x: column<number>(t, "sessions"),
          textinfo: "value+percent initial+percent previous",
        },
      ],
      layout: { title: { text: "Session funnel" }, height: 360, margin: { l: 110 } },
    },
  };
}

/** Heatmap of revenue per day for the top `n` countries by revenue. */
export function revenueByCountryDayChart(t: Table, n = 12): Chart {
  const days = isoDays(column<number>(t, "day"));
  const countries = column<string>(t, "country_code").map((c) => c ?? "(unknown)");
  const revenue = column<number>(t, "revenue");
  const top = topKeys(countries, revenue, n);
  const allDays = [...new Set(days)].sort() as string[];
  const z = top.map(() => allDays.map(() => 0));
  days.forEach((d, i) => {
    const r = top.indexOf(countries[i]!);
    if (r >= 0) z[r]![allDays.indexOf(d!)]! += revenue[i] ?? 0;
  });
  return {
    kind: "plotly",
    figure: {
      data: [
        {
          type: "heatmap",
          x: allDays,
          y: top,
          z,
          colorscale: "Viridis",
          colorbar: { title: { text: "revenue" } },
        },
      ],
      layout: {
        title: { text: `Revenue per day, top ${n} countries` },
        height: 120 + 22 * top.length,
        yaxis: { autorange: "reversed" },
      },
    },
  };
}

export function sessionLengthDistributionChart(t: Table): Chart {
  type Row = { measure: string; bucket_from: number; bucket_to: number | null; share: number };
  const rows = t.toArray().map((r) => r.toJSON() as Row);
  const span = (d: Row) =>
    d.bucket_to === null
      ? `${d.bucket_from}+`
      : d.bucket_to - d.bucket_from === 1
        ? d.measure === "minutes"
          ? `<${d.bucket_to}`
          : `${d.bucket_from}`
        : `${d.bucket_from}–${d.bucket_to - 1}`;
  const key = (d: Row) => `${span(d)} ${d.measure === "events" ? "ev" : "min"}`;
  return {
    kind: "svg",
    svg: renderPlot({
      width: WIDTH,
      height: 300,
      marginLeft: 60,
      ariaLabel: "Session length distribution",
      x: {
        type: "band",
        domain: rows.map(key),
        label: "session length: events (ev) | minutes (min)",
      },
      y: { grid: true, label: "share of sessions (%)", percent: true },
      marks: [
        Plot.barY(rows, { x: key, y: "share", fill: "measure" }),
        Plot.text(rows, {
          x: key,
          y: "share",
          text: (d: Row) => `${(d.share * 100).toFixed(1)}`,
          dy: -8,
        }),
        Plot.ruleY([0]),
      ],
    }),
  };
}

export function topReferrersChart(t: Table): Chart {
  const name = (d: { referrer: string | null }) => {
    const r = d.referrer ?? "(direct)";
    return r.length > 48 ? `${r.slice(0, 47)}…` : r;
  };
  return {
    kind: "svg",
    svg: renderPlot({
      width: WIDTH,
      height: 40 + 24 * t.numRows,
      marginLeft: 330,
      marginRight: 120,
      ariaLabel: "Top referrers by sessions, with revenue",
      x: { grid: true, label: "sessions" },
      y: { label: null },
      marks: [
        Plot.barX(t, { y: name, x: "sessions", sort: { y: "-x", reduce: "first" }, fill: "teal" }),
        Plot.text(t, {
          y: name,
          x: "sessions",
          text: (d: { revenue: number }) =>
            `revenue ${Math.round(d.revenue).toLocaleString("en-US")}`,
          dx: 4,
          textAnchor: "start",
        }),
      ],
    }),
  };
}

export function hourlyTrafficChart(t: Table): Chart {
  const hours = column<number>(t, "hour");
  return {
    kind: "plotly",
    figure: {
      data: [
        { type: "bar", name: "events", x: hours, y: column<number>(t, "events") },
        { type: "bar", name: "page views", x: hours, y: column<number>(t, "page_views") },
        {
          type: "scatter",
          mode: "lines+markers",
          name: "purchases",
          x: hours,
          y: column<number>(t, "purchases"),
          yaxis: "y2",
        },
      ],
      layout: {
        title: { text: "Traffic by hour of day (UTC)" },
        height: 360,
        barmode: "group",
        xaxis: { title: { text: "hour" }, dtick: 2 },
        yaxis: { title: { text: "events" } },
        yaxis2: { title: { text: "purchases" }, overlaying: "y", side: "right" },
      },
    },
  };
}

/** The chart of each named question, by question name. */
export const QUESTION_CHARTS: Record<string, (t: Table) => Chart> = {
  daily_active_users: dailyActiveUsersChart,
  sessions_by_country_day: (t) => sessionsByCountryDayChart(t),
  session_stats: sessionStatsChart,
  bounce_rate_by_landing_page: bounceRateByLandingPageChart,
  funnel: funnelChart,
  revenue_by_country_day: (t) => revenueByCountryDayChart(t),
  session_length_distribution: sessionLengthDistributionChart,
  top_referrers: topReferrersChart,
  hourly_traffic: hourlyTrafficChart,
};

export function chartForQuestion(name: string, t: Table): Chart {
  const fn = QUESTION_CHARTS[name];
  if (!fn)
    throw new Error(
      `no chart for question "${name}"; known: ${Object.keys(QUESTION_CHARTS).join(", ")}`,
    );
  return fn(t);
}
