# kuando serve in a container. Build: docker build -t kuando-connector .
# Run:   docker run -p 8080:8080 -v kuando-data:/var/lib/kuando -e KUANDO_PASSWORD=... kuando-connector
# Settings are the KUANDO_ variables of `kuando serve --help`.

FROM swift:6.3.1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift Package.resolved* ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product kuando --static-swift-stdlib \
    && mkdir /out \
    && cp .build/release/kuando /out/ \
    && cp -R .build/release/*.resources /out/

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/kuando --create-home kuando
# The binary finds its resource bundles (web pages, mapping table) next to itself.
COPY --from=build /out/ /usr/local/bin/
USER kuando
WORKDIR /var/lib/kuando
ENV KUANDO_LISTEN=0.0.0.0 \
    KUANDO_PORT=8080 \
    KUANDO_DB=sqlite:/var/lib/kuando/connector.sqlite
VOLUME /var/lib/kuando
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/kuando"]
CMD ["serve"]
