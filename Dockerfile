# The demo voice-call service (npm run demo), for docker-compose.yml.
FROM node:24-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
USER node
ENV NODE_ENV=production
CMD ["npm", "run", "demo"]
