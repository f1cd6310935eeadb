import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from '@sharepool/observability';

const MAX_OPERATION_LABELS = 200;

/** Latency per operation and a count of errors per code, for /metrics. */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin {
  // Operation names come from clients: bound the label set so /metrics cannot grow without end.
  const known = new Set<string>();
  const label = (name: string) => {
    if (known.has(name)) return name;
    if (known.size < MAX_OPERATION_LABELS && /^[A-Za-z0-9_]{1,60}$/.test(name)) return (known.add(name), name);
    return 'other';
  };
  return {
    async requestDidStart() {
      const end = metrics.graphqlDuration.startTimer();
      let operation = 'unknown';
      let type = 'unknown';
      return {
        async didResolveOperation(ctx) {
          operation = label(ctx.operationName ?? 'anonymous');
          type = ctx.operation?.operation ?? 'unknown';
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          for (const error of errors) metrics.graphqlErrors.inc({ code: String(error.extensions?.code ?? 'UNKNOWN') });
          end({ operation, type, outcome: errors.length ? 'error' : 'ok' });
        },
      };
    },
  };
}
