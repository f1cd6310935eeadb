/**
 * Leaves the app for a page the server renders (the queue board) or another site (a network's
 * consent page, which comes back to the app on its own): a full navigation, not a route.
 */
export function leaveApp(url: string): void {
  window.location.assign(url);
}
