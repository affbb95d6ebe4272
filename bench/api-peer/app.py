"""The peer of `npm run bench -- api`: the customer's first design, done well.

FastAPI on uvicorn (uvloop, httptools), orjson responses, an async Redis pool with the hiredis parser, and the same
JWT checks as our API (PyJWT: pinned ES256, issuer, audience, leeway, required exp/sub, scope verdicts:read).
Configured by the environment: JWKS_FILE, JWT_ISSUER, JWT_AUDIENCE, REDIS_URL.
"""

import json
import os

import jwt
import orjson
import redis.asyncio as redis
from fastapi import FastAPI, Header, HTTPException
from fastapi.responses import Response

with open(os.environ["JWKS_FILE"], encoding="utf-8") as f:
    KEYS = {k["kid"]: jwt.PyJWK(k).key for k in json.load(f)["keys"]}
ISSUER = os.environ["JWT_ISSUER"]
AUDIENCE = os.environ["JWT_AUDIENCE"]
pool = redis.ConnectionPool.from_url(os.environ["REDIS_URL"], max_connections=64)
store = redis.Redis(connection_pool=pool)

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


def authorize(authorization: str | None, scope: str) -> dict:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise HTTPException(401, "missing token")
    token = authorization[7:].strip()
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        claims = jwt.decode(
            token,
            KEYS[kid],
            algorithms=["ES256"],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=30,
            options={"require": ["exp", "sub"]},
        )
    except (jwt.PyJWTError, KeyError) as err:
        raise HTTPException(401, "invalid token") from err
    if scope not in str(claims.get("scope", "")).split(" "):
        raise HTTPException(403, "insufficient scope")
    return claims


@app.get("/v1/verdicts/{tx_id}")
async def verdict(tx_id: str, authorization: str | None = Header(default=None)) -> Response:
    authorize(authorization, "verdicts:read")
    raw = await store.get(f"verdict:{tx_id}")
    if raw is None:
        raise HTTPException(404, "unknown transaction")
    return Response(orjson.dumps(orjson.loads(raw)), media_type="application/json")


@app.get("/healthz")
async def healthz() -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")
