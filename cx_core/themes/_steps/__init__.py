"""The offline theme engine's steps, one module each, run in this order by :mod:`.._pipeline`:

normalise -> split -> nonanswers -> redact -> embed -> topics -> sides -> parts -> names -> assemble

Each module has one entry taking and returning the plain data of :mod:`.data`; a step imports
:mod:`.data` and the shared helpers of ``cx_core.themes`` only, never another step.
"""
