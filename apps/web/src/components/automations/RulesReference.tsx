// A short reference beside the rules editor: the rule's shape, the CEL variables and the six
// built-in actions with their configuration keys (docs/automations.md has the full text).
const VARIABLES: [string, string][] = [
  ["event", "the event type, by the webhook's event type selector (e.g. deployment_status)"],
  ["headers", "the request's headers, lower-case names, secrets redacted"],
  ["payload", "the parsed body"],
  ["integration", "{slug, provider} of this webhook"],
  ["delivery", "all of the above as one map (delivery.type = event)"],
];

const ACTIONS: [string, string, string][] = [
  ["update_project", "fields*: [{path, value}]", "JSON Patch add of each value present"],
  [
    "create_release",
    "version*, committish, title, notes",
    "creates the release (an existing one is skipped)",
  ],
  [
    "record_deployment",
    "environment*, status, version or ref, external_run_id, external_run_url, note",
    "records the deployment run",
  ],
  ["publish_release", "version*, status, prerelease", "publishes the release when the status is success"],
  ["block_release", "version*, reason*, status", "files a blocker when the status is failed"],
  [
    "log_operation",
    "environment*, description*, entry_type, version, link",
    "writes an operations-log entry",
  ],
];

export const RULE_EXAMPLE = `[
  {
    "name": "Record deployments",
    "filter": "event == \\"deployment_status\\"",
    "action": "record_deployment",
    "config": {
      "environment": "payload.deployment.environment",
      "version": "payload.deployment.ref",
      "external_run_id": "string(payload.deployment.id)"
    }
  }
]`;

export function RulesReference() {
  return (
    <section aria-labelledby="rules-ref" className="grid gap-3 text-sm">
      <h3 id="rules-ref" className="font-semibold">
        Rule reference
      </h3>
      <p className="text-muted-foreground">
        Each rule is <code>{"{name, filter, action, config, enabled}"}</code>. Rules run in order for each
        matched project; <code>filter</code> (default <code>true</code>) and every <code>config</code> value
        are CEL expressions. String literals need quotes inside the JSON string:{" "}
        <code>{'"\\"production\\""'}</code>.
      </p>
      <h4 className="font-medium">CEL variables</h4>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        {VARIABLES.map(([name, what]) => (
          <div key={name} className="contents">
            <dt>
              <code>{name}</code>
            </dt>
            <dd className="text-muted-foreground">{what}</dd>
          </div>
        ))}
      </dl>
      <h4 className="font-medium">Actions (* required)</h4>
      <ul className="grid gap-1.5">
        {ACTIONS.map(([name, keys, what]) => (
          <li key={name}>
            <code className="font-medium">{name}</code>: <code className="text-xs">{keys}</code>
            <span className="block text-muted-foreground">{what}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
