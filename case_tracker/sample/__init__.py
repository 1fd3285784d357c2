"""The bundled synthetic sample city: :mod:`.generator` makes it, :mod:`.shipped` stores it."""
