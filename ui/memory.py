"""The process's memory as Streamlit runs it: what is loaded for good is kept out of the garbage collector's
way."""

from __future__ import annotations

import gc


def settle() -> None:
    """Move what the process has loaded for good out of the cyclic garbage collector's way. Streamlit collects
    every generation after each script run (``runner.postScriptGC``): over the ~190,000 objects of the loaded
    modules and tables that took 90–150 ms holding the GIL, during which the page's last messages and the
    map's files waited. Garbage is collected first, including what an earlier version left in reference cycles
    (everything is unfrozen for that one collection); what later runs create is still collected after each run.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
