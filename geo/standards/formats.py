"""The standards one can export to, by the name the command line and the Données page use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from geo.standards import Known, Published, anct, data_inclusion, to_zip


@dataclass(frozen=True)
class Format:
    label: str  # the download's name on Données
    file: str  # the download's file name
    help: str  # what is in it, and what is not
    publish: Callable[[pd.DataFrame, Known], Published]
    files: Callable[[Published], dict[str, bytes]]

    def download(self, table: pd.DataFrame, known: Known) -> bytes:
        """The ZIP of the standard's files and the list of what was left out."""
        return to_zip(self.files(self.publish(table, known)))


FORMATS = {
    "data-inclusion": Format(
        "data·inclusion (ZIP)", "carte-des-possibles-data-inclusion.zip",
        "Le schéma national de l'offre d'insertion (data·inclusion v1) : structures.json et services.json. "
        "Les prix, programmes, défis et initiatives terminées n'y figurent pas (liste dans non-exportees.txt).",
        data_inclusion.publish, data_inclusion.files),
    "anct": Format(
        "Lieux de médiation numérique, standard ANCT (ZIP)", "carte-des-possibles-lieux-mediation-numerique.zip",
        "Le standard national des lieux de médiation numérique (v1.0.2) : les lieux d'aide au numérique dont "
        "l'adresse est connue (les autres sont listés dans non-exportees.txt).",
        anct.publish, anct.files),
}
