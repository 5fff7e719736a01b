// Average score per team over time (recharts; this module is loaded lazily by the Scores page so
// the charting library stays out of every other screen's bundle).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface TeamPoint {
  team: string;
  at: string;
  avg_score: number;
}

/** One row per bucket with a column per team, as recharts wants it. */
export function pivot(points: TeamPoint[]): { rows: Record<string, number | string>[]; teams: string[] } {
  const teams = [...new Set(points.map((p) => p.team))].sort();
  const byAt = new Map<string, Record<string, number | string>>();
  for (const p of points) {
    const row = byAt.get(p.at) ?? { at: p.at };
    row[p.team] = Math.round(p.avg_score * 10) / 10;
    byAt.set(p.at, row);
  }
  return { rows: [...byAt.values()].sort((a, b) => String(a.at).localeCompare(String(b.at))), teams };
}

// Status-like series colours that read on light and dark backgrounds.
const COLORS = ["#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d"];

export function HistoryChart({ points }: { points: TeamPoint[] }) {
  const { rows, teams } = pivot(points);
  return (
    <figure className="grid gap-2">
      <div className="h-72 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" className="stroke-border" />
            <XAxis
              dataKey="at"
              tickFormatter={(v: string) => v.slice(5, 10)}
              tick={{ fill: "currentColor", fontSize: 12 }}
            />
            <YAxis domain={[0, 100]} tick={{ fill: "currentColor", fontSize: 12 }} />
            <Tooltip
              contentStyle={{
                background: "var(--color-popover, #fff)",
                color: "var(--color-popover-foreground, #000)",
              }}
            />
            <Legend />
            {teams.map((t, i) => (
              <Line
                key={t}
                type="monotone"
                dataKey={t}
                stroke={COLORS[i % COLORS.length]}
                dot={rows.length < 40}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-xs text-muted-foreground">
        Average score per team, by day ({teams.length} teams, {rows.length} days with changes).
      </figcaption>
    </figure>
  );
}
