"""Settings: ``base`` is the one default path (everything from the environment,
embedded defaults when unset); ``production`` hardens it; ``test`` speeds it up."""
