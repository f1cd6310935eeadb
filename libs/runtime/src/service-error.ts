/** An embedded service could not start; the message tells the user what to do. */
export class ServiceStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceStartError';
  }
}
