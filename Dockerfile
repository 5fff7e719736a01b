# Imbi on Node, for compose.yaml and self-hosting. The image runs the compiled build (`npm run build`
# → dist/), so commands start without compiling TypeScript; esbuild, which builds it, is a
# devDependency, so the image installs with plain `npm ci` (not --omit=dev).
FROM node:20-bookworm-slim

ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

WORKDIR /app

# NODE_ENV is set only after this step: with NODE_ENV=production, npm ci would omit devDependencies.
COPY package.json package-lock.json ./
# --ignore-scripts: the root "prepare" script builds dist/ from sources that are not copied yet;
# `npm rebuild` then runs the dependencies' own install scripts.
RUN npm ci --ignore-scripts && npm rebuild && npm cache clean --force

COPY . .
RUN npm run build

# The node image's unprivileged user; the embedded data dir (unused when POSTGRES_URL is set)
# would go under /app/.imbi.
RUN mkdir -p /app/.imbi && chown node:node /app/.imbi
USER node

ENV NODE_ENV=production \
    IMBI_API_HOST=0.0.0.0 \
    IMBI_API_PORT=8000
EXPOSE 8000

CMD ["node", "bin/imbi.mjs", "serve"]
