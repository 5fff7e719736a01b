# Imbi on Node, for compose.yaml and self-hosting. tsx runs the TypeScript sources at run time and
# is a runtime dependency, so the image installs with plain `npm ci` (not --omit=dev).
FROM node:20-bookworm-slim

ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

WORKDIR /app

# NODE_ENV is set only after this step: with NODE_ENV=production, npm ci would omit devDependencies.
COPY package.json package-lock.json ./
RUN npm ci && npm cache clean --force

COPY . .

# The node image's unprivileged user; the embedded data dir (unused when POSTGRES_URL is set)
# would go under /app/.imbi.
RUN mkdir -p /app/.imbi && chown node:node /app/.imbi
USER node

ENV NODE_ENV=production \
    IMBI_API_HOST=0.0.0.0 \
    IMBI_API_PORT=8000
EXPOSE 8000

CMD ["npx", "tsx", "apps/node/cli.ts", "serve"]
