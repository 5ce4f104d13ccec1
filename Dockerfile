# syntax=docker/dockerfile:1
# Bousai server image. Build context: the repository root (see .dockerignore).
#
#   docker build -t bousai-server .          # or: docker compose build
#
# One image serves the web app and runs the operator commands (setup, migrate, import, user add):
#   docker run ... bousai-server                        → web server on 0.0.0.0:8080
#   docker run ... bousai-server setup --geodata /app/geodata --demo-logins /data/demo-logins.tsv
# Configuration is standard .NET configuration from the environment: ConnectionStrings__Bousai (required),
# Map__BasemapUrl, Urls. See docs/compose.md.

ARG NODE_IMAGE=node:20
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0
ARG SIM_RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime:10.0

# ---------------------------------------------------------------- web client (web/ → wwwroot)
# The output is plain files, so this stage runs on the build machine's own platform even for other targets.
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund --loglevel=error
COPY web/ ./
# vite.config.ts writes to ../src/Bousai.Server/wwwroot, i.e. /src/src/Bousai.Server/wwwroot here.
RUN npm run build

# ---------------------------------------------------------------- server (dotnet publish)
# Framework-dependent, portable IL (no apphost): the same output runs on amd64 and arm64.
FROM --platform=$BUILDPLATFORM ${SDK_IMAGE} AS build
WORKDIR /src
# Restore first, from the project files only, so the package layer is reused until a version changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Bousai.Domain/Bousai.Domain.csproj src/Bousai.Domain/
COPY src/Bousai.Server/Bousai.Server.csproj src/Bousai.Server/
RUN --mount=type=cache,id=bousai-nuget,target=/root/.nuget/packages \
    dotnet restore src/Bousai.Server/Bousai.Server.csproj
COPY src/Bousai.Domain/ src/Bousai.Domain/
COPY src/Bousai.Server/ src/Bousai.Server/
COPY --from=web /src/src/Bousai.Server/wwwroot/ src/Bousai.Server/wwwroot/
RUN --mount=type=cache,id=bousai-nuget,target=/root/.nuget/packages \
    dotnet publish src/Bousai.Server/Bousai.Server.csproj -c Release --no-restore \
      -o /app/publish -p:UseAppHost=false -nologo
# The shipped geodata, imported by `setup --geodata /app/geodata`.
COPY geodata/ /app/publish/geodata/

# ---------------------------------------------------------------- sensor simulator (target: sensors-sim)
FROM --platform=$BUILDPLATFORM ${SDK_IMAGE} AS sim-build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY sensors-sim/ sensors-sim/
RUN --mount=type=cache,id=bousai-nuget,target=/root/.nuget/packages \
    dotnet publish sensors-sim/Bousai.SensorsSim/Bousai.SensorsSim.csproj -c Release \
      -o /app/publish -p:UseAppHost=false -nologo
# The stations it speaks for: the same file the server imports (default --stations path).
COPY geodata/stations.geojson /app/publish/geodata/

FROM ${SIM_RUNTIME_IMAGE} AS sensors-sim
WORKDIR /app
COPY --from=sim-build /app/publish/ ./
USER $APP_UID
ENTRYPOINT ["dotnet", "Bousai.SensorsSim.dll"]

# ---------------------------------------------------------------- runtime (the default target: the server)
FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
# The situation report's fonts: Noto Sans CJK draws the map, IPAexGothic (TrueType outlines, which PDFsharp embeds) the PDF.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk fonts-ipaexfont-gothic \
 && rm -rf /var/lib/apt/lists/*
# Urls overrides the 127.0.0.1:5080 of appsettings.json; an empty ASPNETCORE_HTTP_PORTS (set to 8080 by the
# base image) avoids the "Overriding HTTP_PORTS" start-up warning. ASPNETCORE_ENVIRONMENT is Production by default.
ENV Urls=http://0.0.0.0:8080 \
    ASPNETCORE_HTTP_PORTS=
# Application files belong to root and are read-only for the app user.
COPY --from=build /app/publish/ ./
# Writable places for the non-root user ($APP_UID, "app", from the base image):
#   /data                                  demo-logins file written by `setup` (a volume in compose.yaml)
#   /home/app/.aspnet/DataProtection-Keys  ASP.NET Core key ring (session cookies, antiforgery); compose.yaml
#                                          mounts one volume there for all server replicas
#   /srv/bousai-public                     the public view's static export (PublicExport__Directory), which the
#                                          gateway serves when every replica is down
# Created here so that a fresh named volume mounted on them starts out owned by the app user.
RUN mkdir -p /data /home/app/.aspnet/DataProtection-Keys /srv/bousai-public \
 && chown -R "$APP_UID:$APP_UID" /data /home/app/.aspnet /srv/bousai-public
USER $APP_UID
EXPOSE 8080
# No HEALTHCHECK here: the image has neither curl nor wget, and the same image also runs the one-shot
# commands. compose.yaml checks GET /readyz with bash's /dev/tcp instead.
ENTRYPOINT ["dotnet", "Bousai.Server.dll"]
