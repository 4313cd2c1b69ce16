"""Logic models: a programme theory drawn as columns (Context, Activities, Mechanisms, Intended impact) and a harms box.

A logic model is written as a small YAML *spec* that a researcher edits by hand::

    title: "Children's Front Door: a risk-led model"
    model: Risk-led front door                # the name used when two models are compared
    summary: Screens every contact for risk of significant harm.
    theme: {harms: "#B71C1C"}                 # optional colour overrides (see THEME_KEYS)
    columns:
      - name: Context                         # names are free; `kind` (context, activities, mechanism,
        kind: context                         #   outcome, other) sets the colour; default: from the name
        items:
          - text: Contacts arrive in high volumes
            id: volume                        # optional: matches the same idea in another model
            codes: [C3]                       # optional evidence links to codes of the codebook
      - name: Intended impact
        groups:                               # optional groups within a column
          - name: For services and staff
            items: [Information is shared quickly]
    harms:
      title: Unintended harms
      items: [Parents come to distrust services]
    notes: Bold marks what differs from the other model.

:func:`load_logic_model` validates a spec and reports every problem with its location at once;
:func:`draft_logic_model` writes a starting spec from the coded data; :func:`evidence` counts the participants,
transcripts and sites behind each item's codes; :func:`compare` finds the items unique to one of two models;
:func:`describe` writes the plain-language text description (alt text) of a diagram. The drawings themselves (plotly
figure, Word table, HTML page) are in :mod:`npt_coder.render`.

The package's modules, each importing only those before it: ``spec`` (the objects a spec becomes), ``load``
(reading, validating and writing specs), ``evidence`` (coded support), ``draft`` (a spec from the coding),
``compare`` (two models side by side) and ``describe`` (the text description).

Examples
--------
>>> lm = load_logic_model({"title": "Demo", "columns": [
...     {"name": "Context", "items": ["High demand"]},
...     {"name": "Mechanisms", "items": [{"text": "Trust", "codes": ["M3.3"]}]}]})
>>> [c.name for c in lm.columns], lm.columns[1].items[0].codes
(['Context', 'Mechanisms'], ('M3.3',))
"""

from .compare import Comparison, compare, normalise_text
from .describe import describe
from .draft import draft_logic_model
from .evidence import GROUP_METHODS, code_support, evidence, evidence_labels
from .load import MAX_COLUMNS, MAX_ITEM_CHARS, load_logic_model, logic_model_to_yaml
from .spec import (
    COLUMN_KINDS,
    DEFAULT_COLUMNS,
    EVIDENCE_KEYS,
    THEME_KEYS,
    LogicModel,
    LogicModelColumn,
    LogicModelGroup,
    LogicModelHarms,
    LogicModelItem,
)

__all__ = [
    "COLUMN_KINDS",
    "DEFAULT_COLUMNS",
    "EVIDENCE_KEYS",
    "GROUP_METHODS",
    "MAX_COLUMNS",
    "MAX_ITEM_CHARS",
    "THEME_KEYS",
    "Comparison",
    "LogicModel",
    "LogicModelColumn",
    "LogicModelGroup",
    "LogicModelHarms",
    "LogicModelItem",
    "code_support",
    "compare",
    "describe",
    "draft_logic_model",
    "evidence",
    "evidence_labels",
    "load_logic_model",
    "logic_model_to_yaml",
    "normalise_text",
]
