/** Every item a DynamoDB query matches, page after page (the SDK's paginator, written once). */
import { paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/** All items of `input`'s query, following `LastEvaluatedKey` until the last page. */
export async function queryAll(doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  // The paginator writes the page token into its input: it gets a copy.
  for await (const page of paginateQuery({ client: doc }, { ...input })) items.push(...(page.Items ?? []));
  return items;
}
