/** Leaves the app for a page the server renders (the queue board): a full navigation, not a route. */
export function leaveApp(url: string): void {
  window.location.assign(url);
}
