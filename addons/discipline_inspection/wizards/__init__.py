from . import di_bulletin_wizard
from . import di_bulletin_verify
from . import di_rectification_evaluation
from . import di_cross_check_wizard
from . import di_bulletin_correction
from . import di_rectification_step
