from . import test_master_data
from . import test_rules
from . import test_workflow
from . import test_access
from . import test_cron
from . import test_bulletin
from . import test_notice
