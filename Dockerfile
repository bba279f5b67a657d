# syntax=docker/dockerfile:1
# One image per app: docker build --build-arg APP=ingest -t linewatch-ingest .
# APP is one of api (default), ingest, tracker, alerter; the same image also runs the one-off
# steps (node dist/scripts/cli.js migrate | topics apply).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first so source edits do not re-run npm ci.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0
WORKDIR /app
# Files stay root-owned and read-only to the app user; nothing in the image needs writing.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/infra ./infra
COPY --from=build /app/config ./config
USER node

# Late, so the layers above are shared by all four app images.
ARG APP=api
ENV APP=${APP}
EXPOSE 3000 3001 3002 3003

# Liveness on the app's own port: HEALTH_PORT, else <APP>_PORT, else the default port of APP.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const d={api:3000,ingest:3001,alerter:3002,tracker:3003};const e=process.env,a=e.APP||'api';const p=e.HEALTH_PORT||e[a.toUpperCase()+'_PORT']||d[a];fetch('http://127.0.0.1:'+p+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# sh -c so $APP expands at run time; exec so node is PID 1 and receives SIGTERM itself.
CMD ["sh", "-c", "exec node dist/apps/${APP}/src/main.js"]
