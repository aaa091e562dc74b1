/**
 * The one style of the dates and times people read: in the widget (widget/format.ts), on the admin
 * pages (widget/admin/when.ts) and in code messages (server/delivery/messages.ts). In English
 * "Jan 8, 2028, 10:17 AM"; each other language in its own order ("8 janv. 2028, 10:17").
 */
export const dateTimeStyle = { dateStyle: 'medium', timeStyle: 'short' } as const satisfies Intl.DateTimeFormatOptions;
/** The day alone: "Jan 8, 2028". */
export const dateStyle = { dateStyle: 'medium' } as const satisfies Intl.DateTimeFormatOptions;
/** The time alone: "10:17 AM". */
export const timeStyle = { timeStyle: 'short' } as const satisfies Intl.DateTimeFormatOptions;
