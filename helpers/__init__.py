"""The small package the course notebooks share.

Math modules (`calculus`, ...) import numpy only; drawing modules take arrays and return
artists; `live` wires sliders to both. Import the module you need, e.g.
``from helpers import calculus``.
"""
