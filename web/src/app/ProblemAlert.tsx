// Shows an API problem in the user's language: the server renders title and field details in the language
// we asked for; field pointers are turned into the names the user saw when a resolver is given.
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../lib/api';

export function ProblemAlert({
  error,
  fieldName,
}: {
  error: unknown;
  fieldName?: (pointer: string) => string | undefined;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  const fields = problem?.errors ?? [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={errorMessage(error)}
      description={
        fields.length > 0 ? (
          <ul className="problem-list">
            {fields.map((e, i) => (
              <li key={i}>
                {fieldName?.(e.pointer) ?? e.pointer}: {e.detail}
              </li>
            ))}
          </ul>
        ) : problem?.requestId ? (
          <span className="muted">{t('error.requestId', { id: problem.requestId })}</span>
        ) : undefined
      }
    />
  );
}
