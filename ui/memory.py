"""The process's memory as Streamlit runs it: what is loaded for good is kept out of the garbage collector's
way."""

from __future__ import annotations

import gc


def settle() -> None:
    """Move what the process has loaded for good out of the cyclic garbage collector's way. Streamlit collected
    every generation after each script run (``runner.postScriptGC``, now off in .streamlit/config.toml: even
    over what was left unfrozen it was a quarter of a served visitor's CPU); over the ~190,000 objects of the
    loaded modules and tables each full collection took 90–150 ms holding the GIL. Garbage is collected first,
    including what an earlier version left in reference cycles (everything is unfrozen for that one
    collection); what later runs create is collected by Python's own collector as it goes."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
