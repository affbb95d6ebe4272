/** One card transaction, with the Fraud-Detection-Handbook's column names. */
export interface Transaction {
  TRANSACTION_ID: number;
  /** Event time, epoch milliseconds UTC. CSV carries it as ISO-8601 ("2018-04-01 07:19:05" or with a T and Z). */
  TX_DATETIME: number;
  CUSTOMER_ID: number;
  TERMINAL_ID: number;
  TX_AMOUNT: number;
  /** 1 for fraud, 0 for genuine. */
  TX_FRAUD: 0 | 1;
  /**
   * 0 genuine, or not known (a CSV without the column); 1 amount over 220; 2 compromised terminal; 3 compromised
   * customer.
   */
  TX_FRAUD_SCENARIO: 0 | 1 | 2 | 3;
}

export const TRANSACTION_COLUMNS = [
  'TRANSACTION_ID',
  'TX_DATETIME',
  'CUSTOMER_ID',
  'TERMINAL_ID',
  'TX_AMOUNT',
  'TX_FRAUD',
  'TX_FRAUD_SCENARIO',
] as const;
