"""The upload page and its JSON API (interface layer): ``bomcalc serve``.

A small Starlette application over :mod:`bomcalc.api`, with no logic of its own. Each request
saves its uploads into a private temporary folder, runs the work in a worker process with a
time and memory limit (:mod:`bomcalc.web.worker`, which calls :mod:`bomcalc.web.jobs`), and
deletes the folder before it answers. Nothing uploaded is kept.

Needs the ``web`` extra (``pip install 'bomcalc[web]'``); nothing here is imported by
``import bomcalc``.
"""
