FROM python:3.11-slim
# libssl3 for the LadybugDB native module (the embedded engine is installed even when Neo4j is used).
RUN apt-get update && apt-get install -y --no-install-recommends libssl3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY flowmap ./flowmap
COPY seeds ./seeds
COPY graphql ./graphql
RUN pip install --no-cache-dir .
ENV FLOWMAP_SEEDS_DIR=/app/seeds
EXPOSE 8000
CMD ["flowmap", "serve", "--seed"]
