import { registry } from "@web/core/registry";
import { usePager } from "@web/search/pager_hook";
import { formView } from "@web/views/form/form_view";
import { FormController } from "@web/views/form/form_controller";

/** The dashboard (工作台) is one fresh record, not one record of a list: no "1 / 1" pager. */
export class DiDashboardFormController extends FormController {
    setup() {
        super.setup();
        usePager(() => null);
    }
}

registry.category("views").add("di_dashboard_form", {
    ...formView,
    Controller: DiDashboardFormController,
});
