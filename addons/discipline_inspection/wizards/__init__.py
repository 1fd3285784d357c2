from . import di_bulletin_wizard
