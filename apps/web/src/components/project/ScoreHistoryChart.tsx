// The score over time (recharts, in its own chunk: only the Scores tab loads it). Colours come
// from the theme's CSS variables, so the chart follows light and dark.
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { components } from "@/api/schema";

type Point = components["schemas"]["ScorePoint"];

const fmt = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });

export function ScoreHistoryChart({ points }: { points: Point[] }) {
  const data = points.map((p) => ({ at: p.at, score: p.score }));
  return (
    <div className="h-64 w-full" role="img" aria-label={`Score history: ${points.length} points`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            dataKey="at"
            tickFormatter={fmt}
            stroke="var(--muted-foreground)"
            fontSize={12}
            minTickGap={40}
          />
          <YAxis domain={[0, 100]} stroke="var(--muted-foreground)" fontSize={12} width={36} />
          <Tooltip
            labelFormatter={(l) => fmt(String(l))}
            contentStyle={{
              background: "var(--popover)",
              border: "1px solid var(--border)",
              color: "var(--foreground)",
            }}
          />
          <Line
            type="monotone"
            dataKey="score"
            stroke="var(--primary)"
            strokeWidth={2}
            dot={points.length < 50}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
