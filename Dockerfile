# cycarla relay: the built app, the relay and the embedded simulator, as `npm start` runs them.
# docs/operations.md explains the image; compose.yaml runs it beside CARLA or our simulator.

FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts stay off, as on the developers' machines: sharp and esbuild ship prebuilt binaries.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20.20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=9000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/relay ./relay
COPY --from=build /app/sim ./sim
COPY --from=build /app/proto ./proto
# certs/ (from `npm run cert`, mounted read-only) turns HTTPS on by itself; logs may go to /app/logs.
RUN mkdir -p /app/certs /app/logs && chown node:node /app/logs
USER node
EXPOSE 9000
# Over loopback the relay answers /healthz on plain HTTP even when it serves HTTPS to the LAN.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT||9000}/healthz`).then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# What `npm start` runs once the app is built; config by file (--config or CYCARLA_CONFIG) and environment.
ENTRYPOINT ["node", "--import", "tsx", "relay/cli.ts"]
