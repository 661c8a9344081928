"""The ceiling for the read benchmark: bare FastAPI routes under uvicorn, set up as
`castwright serve` sets up uvicorn (log level warning, no access log).

    python -m bench.bare_app --port 8123
"""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI

__all__ = ["app", "main"]

app = FastAPI()


@app.get("/bare")
async def bare() -> dict[str, bool]:
    return {"ok": True}


@app.get("/bare-sync")
def bare_sync() -> dict[str, bool]:
    # A plain `def` route runs in the thread pool, as every Castwright route that reads the
    # database does: the difference to /bare is that hop alone.
    return {"ok": True}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
