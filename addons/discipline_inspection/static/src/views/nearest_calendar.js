import { deserializeDate, serializeDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { calendarView } from "@web/views/calendar/calendar_view";
import { CalendarModel } from "@web/views/calendar/calendar_model";

/**
 * A calendar of deadlines that opens on the month of the deadline nearest to today (before or
 * after it) among the records the search shows, instead of on today's month, which may be
 * empty. An explicit initial_date in the context still wins; later searches keep the month.
 */
export class NearestDateCalendarModel extends CalendarModel {
    async load(params = {}) {
        const context = params.context || this.meta.context || {};
        if (!this.meta.date && !context.initial_date) {
            const nearest = await this.nearestDate(params.domain || this.meta.domain || []);
            if (nearest) {
                this.meta.date = nearest;
            }
        }
        return super.load(params);
    }

    async nearestDate(domain) {
        const field = this.meta.fieldMapping.date_start;
        const today = luxon.DateTime.local().startOf("day");
        const todayValue = serializeDate(today);
        const nearestOn = async (operator, order) => {
            const [record] = await this.orm.searchRead(
                this.meta.resModel,
                [...domain, [field, operator, todayValue]],
                [field],
                { order: `${field} ${order}`, limit: 1 }
            );
            return record && record[field] ? deserializeDate(record[field]) : null;
        };
        const [next, last] = await Promise.all([nearestOn(">=", "asc"), nearestOn("<", "desc")]);
        if (next && last) {
            return next.diff(today).as("days") <= today.diff(last).as("days") ? next : last;
        }
        return next || last;
    }
}

registry.category("views").add("di_nearest_calendar", {
    ...calendarView,
    Model: NearestDateCalendarModel,
});
