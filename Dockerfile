# syntax=docker/dockerfile:1
# One Dockerfile, one target per host:
#   docker build --target api    -t platform-api .
#   docker build --target ingest -t platform-ingest .
#   docker build --target ai     -t platform-ai .
#   docker build --target backup -t platform-backup .
# The .NET 10 images are Ubuntu 24.04 (noble) based: its postgresql-client-16 matches the PostgreSQL 16 of
# docker-compose.yml and of the chart's documented server (pg_dump refuses servers newer than itself).

ARG DOTNET_VERSION=10.0

# ---- build: restore once (project files first, for layer caching), then publish each host ----
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Messages/Platform.Messages.csproj src/Messages/
COPY src/ServiceDefaults/Platform.ServiceDefaults.csproj src/ServiceDefaults/
COPY src/Data/Platform.Data.csproj src/Data/
COPY src/Blobs/Platform.Blobs.csproj src/Blobs/
COPY src/Redis/Platform.Redis.csproj src/Redis/
COPY src/Jobs/Platform.Jobs.csproj src/Jobs/
COPY src/Search/Platform.Search.csproj src/Search/
COPY src/Search.Onnx/Platform.Search.Onnx.csproj src/Search.Onnx/
COPY src/Api/Platform.Api.csproj src/Api/
COPY src/Workers.Ingest/Platform.Workers.Ingest.csproj src/Workers.Ingest/
COPY src/Workers.Ai/Platform.Workers.Ai.csproj src/Workers.Ai/
COPY src/Workers.Backup/Platform.Workers.Backup.csproj src/Workers.Backup/
# Each host restores only the projects it references (the project list is the architecture).
RUN for host in Api Workers.Ingest Workers.Ai Workers.Backup; do dotnet restore "src/$host/Platform.$host.csproj" || exit 1; done
COPY src/ src/

FROM build AS publish-api
RUN dotnet publish src/Api/Platform.Api.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM build AS publish-ingest
RUN dotnet publish src/Workers.Ingest/Platform.Workers.Ingest.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM build AS publish-ai
RUN dotnet publish src/Workers.Ai/Platform.Workers.Ai.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM build AS publish-backup
RUN dotnet publish src/Workers.Backup/Platform.Workers.Backup.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# ---- runtime base: non-root (the image's "app" user, $APP_UID = 1654), curl for HEALTHCHECK ----
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
# The blob volume mount point, owned by the app user: Docker copies this ownership into a new named volume.
RUN mkdir -p /data/blobs && chown -R $APP_UID:$APP_UID /data
# The GC and JIT settings are the projects' (runtimeconfig.json: server GC without DATAS; the workers also without
# quick JIT and dynamic PGO; docs/benchmarks.md, "Throughput"): nothing here overrides them.
ENV DOTNET_ENVIRONMENT=Production \
    ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS= \
    Blobs__Root=/data/blobs
WORKDIR /app
# Works with a read-only root file system: the hosts write only to /data (volume) and /tmp (tmpfs/emptyDir).
USER $APP_UID

FROM runtime AS api
COPY --from=publish-api /app .
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 CMD curl -fsS http://127.0.0.1:8080/health/live || exit 1
ENTRYPOINT ["dotnet", "Platform.Api.dll"]

FROM runtime AS ingest
USER root
# pdftotext for PDFs; tesseract with English and Simplified Chinese for scanned pages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends poppler-utils tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim \
 && rm -rf /var/lib/apt/lists/*
USER $APP_UID
COPY --from=publish-ingest /app .
ENV ASPNETCORE_URLS=http://+:8081
EXPOSE 8081
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 CMD curl -fsS http://127.0.0.1:8081/health/live || exit 1
ENTRYPOINT ["dotnet", "Platform.Workers.Ingest.dll"]

FROM runtime AS ai
COPY --from=publish-ai /app .
ENV ASPNETCORE_URLS=http://+:8082
EXPOSE 8082
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 CMD curl -fsS http://127.0.0.1:8082/health/live || exit 1
ENTRYPOINT ["dotnet", "Platform.Workers.Ai.dll"]

FROM runtime AS backup
USER root
# pg_dump/pg_restore 16 = the PostgreSQL major of docker-compose.yml (Ubuntu 24.04 ships client 16).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-16 \
 && rm -rf /var/lib/apt/lists/*
USER $APP_UID
COPY --from=publish-backup /app .
ENV ASPNETCORE_URLS=http://+:8083
EXPOSE 8083
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 CMD curl -fsS http://127.0.0.1:8083/health/live || exit 1
ENTRYPOINT ["dotnet", "Platform.Workers.Backup.dll"]
