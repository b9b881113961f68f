"""wego-site: the static site generator behind the WeGO website.

Data flows one way: load (``loader``) -> validate (``models``) -> site model
(``site``) -> page items (``pages``) -> render (``templating``) -> write
(``writer``). ``builder`` runs the stages in order; ``cli`` parses arguments.
"""

__version__ = "0.1.0"
