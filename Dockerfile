# The RFSN GitHub App (`rfsn serve`): build stage compiles TypeScript, runtime stage has production dependencies only.
FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
COPY scripts ./scripts
COPY bench ./bench
RUN npm run build && npm ci --omit=dev && npm cache clean --force

FROM node:20-slim
ENV NODE_ENV=production PORT=3000 RFSN_DB=/data/rfsn.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY package.json app.yml ./
# The onboarding pull request proposes this workflow template.
COPY .github/workflows/rfsn.yml ./.github/workflows/rfsn.yml
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "bin/rfsn.js", "serve"]
