/** What an admin download link points at: a coverage scan's CSV, a campaign's report or an import's report (the chat and the tab alike). */
export type AdminDownloadResource =
  { kind: 'coverage'; scanId: string } | { kind: 'report'; campaignId: string } | { kind: 'import'; importId: string };
