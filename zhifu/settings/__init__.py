"""Settings: ``base`` is the one default path (everything from the environment,
embedded defaults when unset, ``DEBUG`` off); ``development`` turns ``DEBUG`` on for
``make run`` and ``manage.py``; ``production`` hardens the base; ``test`` speeds it up."""
