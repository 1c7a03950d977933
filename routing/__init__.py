"""Picks the unit a case goes to. Callers use `routing.route(case)` and nothing else."""


def route(case):
    from routing.engine import route as engine_route

    return engine_route(case)
