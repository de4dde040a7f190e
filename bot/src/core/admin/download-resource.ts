/** What an admin download link points at: a coverage scan's CSV or a campaign's report (the chat and the tab alike). */
export type AdminDownloadResource = { kind: 'coverage'; scanId: string } | { kind: 'report'; campaignId: string };
